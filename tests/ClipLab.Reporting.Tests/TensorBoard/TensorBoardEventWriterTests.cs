using System.Text;
using ClipLab.Clipping;
using ClipLab.Reporting.TensorBoard;
using ClipLab.Training;

namespace ClipLab.Reporting.Tests.TensorBoard;

public sealed class TensorBoardEventWriterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 19, 58, 1, 250, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Crc32C_CheckString_MatchesPublishedCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Crc32C_RandomData_MatchesIndependentTable()
    {
        var random = new Random(5);
        for (int length = 0; length < 70; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(EventFileDecoder.Crc(data), Crc32C.Compute(data));
        }
    }

    [Fact]
    public void Constructor_NewFolder_WritesFileVersionEvent()
    {
        string folder = _folder.Combine("tb", "none");

        using (var writer = new TensorBoardEventWriter(folder, () => Start))
        {
            Assert.Equal(Path.Combine(folder, $"events.out.tfevents.{Start.ToUnixTimeSeconds()}.{HostName()}"), writer.FilePath);
        }

        DecodedEvent first = Assert.Single(EventFileDecoder.Decode(Assert.Single(Directory.GetFiles(folder))));
        Assert.Equal("brain.Event:2", first.FileVersion);
        Assert.Equal(Start.ToUnixTimeMilliseconds() / 1000.0, first.WallTime);
        Assert.Empty(first.Values);
    }

    [Fact]
    public void WriteScalars_EdgeValues_DecodeUnchanged()
    {
        string folder = _folder.Combine("tb");
        string path;
        using (var writer = new TensorBoardEventWriter(folder, () => Start))
        {
            path = writer.FilePath;
            writer.WriteScalars(0, [new("validation/loss", 0.0), new("validation/accuracy", 0.25)]);
            writer.WriteScalars(3_000_000_000, [new("train/loss", double.NaN)]);
        }

        List<DecodedEvent> events = EventFileDecoder.Decode(path);

        Assert.Equal(3, events.Count);
        Assert.Equal(0, events[1].Step);
        Assert.Equal([("validation/loss", 0f), ("validation/accuracy", 0.25f)], events[1].Values);
        Assert.Equal(3_000_000_000, events[2].Step);
        Assert.True(float.IsNaN(Assert.Single(events[2].Values).Value));
    }

    [Fact]
    public void Constructor_SameSecond_AddsSuffix()
    {
        string folder = _folder.Combine("tb");

        using var first = new TensorBoardEventWriter(folder, () => Start);
        using var second = new TensorBoardEventWriter(folder, () => Start);

        Assert.Equal(first.FilePath + ".2", second.FilePath);
    }

    [Fact]
    public void Decode_FlippedByte_FailsOnChecksum()
    {
        string path;
        using (var writer = new TensorBoardEventWriter(_folder.Combine("tb"), () => Start))
        {
            path = writer.FilePath;
            writer.WriteScalars(1, [new("train/loss", 1.5)]);
        }

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsAny<Exception>(() => EventFileDecoder.Decode(path));

        Assert.Contains("data CRC", error.Message);
    }

    [Fact]
    public void Observer_StepsValidationAndTest_WritesEveryTag()
    {
        string folder = _folder.Combine("tb", "value_0.001");
        var steps = new List<StepRecord>();
        string path;
        using (var observer = new TensorBoardObserver(folder))
        {
            path = observer.FilePath;
            for (int iteration = 0; iteration < 3; iteration++)
            {
                var step = new StepRecord(iteration, 2.3 - iteration, new ClipStatistics(10 + iteration, 0.5, iteration, 4));
                steps.Add(step);
                observer.OnStep(step);
            }

            observer.OnValidation(new ValidationPoint(2, 1.25, 0.5));
            var validation = new List<ValidationPoint> { new(2, 1.25, 0.5) };
            observer.WriteTest(new VariantResult("value_0.001", "value:0.001", validation, steps, 0.75, 0.875, TimeSpan.FromSeconds(1), null));
        }

        List<DecodedEvent> events = EventFileDecoder.Decode(path);

        Assert.Equal(1 + 3 + 1 + 1, events.Count);
        Assert.Equal(
            [("train/loss", 0.3f), ("train/grad_norm_before", 12f), ("train/grad_norm_after", 0.5f), ("train/clipped_share", 0.5f)],
            events[3].Values);
        Assert.Equal(2, events[3].Step);
        Assert.Equal([("validation/loss", 1.25f), ("validation/accuracy", 0.5f)], events[4].Values);
        Assert.Equal([("test/loss", 0.75f), ("test/accuracy", 0.875f)], events[5].Values);
        Assert.Equal(3, events[5].Step);
    }

    [Fact]
    public void WriteTest_StoppedRun_WritesNothing()
    {
        string path;
        using (var observer = new TensorBoardObserver(_folder.Combine("tb")))
        {
            path = observer.FilePath;
            observer.WriteTest(new VariantResult("none", "none", [], [], double.NaN, double.NaN, TimeSpan.Zero, "Diverged at iteration 4."));
        }

        Assert.Single(EventFileDecoder.Decode(path));
    }

    private static string HostName() =>
        new(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
