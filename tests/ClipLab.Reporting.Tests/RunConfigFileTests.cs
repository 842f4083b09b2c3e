using ClipLab.Training;

namespace ClipLab.Reporting.Tests;

public class RunConfigFileTests
{
    [Fact]
    public void RunConfigFile_WriteThenRead_ReturnsSameSettings()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("config.json");
        var config = new ExperimentConfig { Seed = 7, Steps = 123, LearningRate = 0.1 + 0.2, Epsilon = 1e-7, NonFinitePolicy = NonFinitePolicy.SkipStep, Threads = 3 };
        var written = new RunConfiguration(
            "sweep", config, ["none", "value:0.0001", "value:0.001"], [7, 8], new Dictionary<string, string> { ["t10k-labels-idx1-ubyte"] = "ab12" }, "1.2.3+abc", ".NET 10.0.0")
        {
            Sweep = new SweepDefinition("value", "", [new SweepPoint(1e-4, "value:0.0001"), new SweepPoint(1e-3, "value:0.001")]),
        };

        RunConfigFile.Write(path, written);
        RunConfiguration read = RunConfigFile.Read(path);

        // 0.1 + 0.2 is not 0.3 in binary: the round trip must keep every bit
        Assert.Equal(config, read.Config);
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.1 + 0.2), BitConverter.DoubleToInt64Bits(read.Config.LearningRate));
        Assert.Equal("sweep", read.Command);
        Assert.Equal(written.Variants, read.Variants);
        Assert.Equal(written.Seeds, read.Seeds);
        Assert.Equal("ab12", read.DataSha256["t10k-labels-idx1-ubyte"]);
        Assert.Equal("1.2.3+abc", read.ClipLabVersion);
        Assert.Equal([1e-4, 1e-3], read.Sweep!.Points.Select(point => point.Threshold));
        Assert.Contains("\"cliplab_version\": \"1.2.3+abc\"", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("\"beta2\": 0.999,", "", "key 'config.beta2' is missing")]
    [InlineData("\"non_finite_policy\": \"Stop\"", "\"non_finite_policy\": \"Halt\"", "key 'config.non_finite_policy' has the value \"Halt\"")]
    [InlineData("\"seeds\": [", "\"seedz\": [", "key 'seeds' is missing")]
    [InlineData("\"format_version\": 1", "\"format_version\": 2", "key 'format_version' is 2")]
    [InlineData("\"seeds\": [", "\"seeds\": [1, ", "key 'seeds' lists a seed twice")]
    [InlineData("\"format_version\": 1", "\"format_version\": 1, \"foo\": 1", "key 'foo' is not a config.json key")]
    [InlineData("\"steps\": 1000", "\"steps\": -5", "key 'config.steps' is invalid")]
    [InlineData("\"learning_rate\": 0.01", "\"learning_rate\": -0.01", "key 'config.learning_rate' is invalid")]
    [InlineData("\"validation_point_count\": 100", "\"validation_point_count\": 99", "key 'config.validation_point_count' is 99")]
    public void RunConfigFile_InvalidKey_ThrowsNamingKey(string original, string replacement, string expected)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("config.json");
        RunConfigFile.Write(path, new RunConfiguration("compare", new ExperimentConfig(), ["none"], [1], new Dictionary<string, string>(), "v", "n"));
        File.WriteAllText(path, File.ReadAllText(path).Replace(original, replacement, StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => RunConfigFile.Read(path));

        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void RunConfigFile_MissingFile_ThrowsNamingPath()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => RunConfigFile.Read(temp.Combine("absent.json")));

        Assert.Contains("absent.json", error.Message);
    }
}
