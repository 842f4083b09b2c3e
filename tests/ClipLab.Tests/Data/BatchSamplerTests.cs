using ClipLab.Data;
using ClipLab.Randomness;
using ClipLab.Tensors;

namespace ClipLab.Tests.Data;

public sealed class BatchSamplerTests
{
    private const int ImageLength = DataSplit.ImageLength;

    [Fact]
    public void NextIndices_SameSeed_GivesSameOrder()
    {
        DataSplit split = NumberedSplit(100);
        var first = new BatchSampler(split, new Rng(42).Split("train"));
        var second = new BatchSampler(split, new Rng(42).Split("train"));

        int[] firstOrder = DrawBatches(first, batchSize: 7, batches: 40);
        int[] secondOrder = DrawBatches(second, batchSize: 7, batches: 40);

        Assert.Equal(firstOrder, secondOrder);
    }

    [Fact]
    public void NextIndices_DifferentSeed_GivesDifferentOrder()
    {
        DataSplit split = NumberedSplit(100);
        var first = new BatchSampler(split, new Rng(42).Split("train"));
        var second = new BatchSampler(split, new Rng(43).Split("train"));

        int[] firstOrder = DrawBatches(first, batchSize: 10, batches: 1);
        int[] secondOrder = DrawBatches(second, batchSize: 10, batches: 1);

        Assert.NotEqual(firstOrder, secondOrder);
    }

    [Fact]
    public void NextIndices_OneEpoch_VisitsEveryExampleOnce()
    {
        const int count = 60;
        var sampler = new BatchSampler(NumberedSplit(count), new Rng(7));

        int[] epoch = DrawBatches(sampler, batchSize: 6, batches: count / 6);

        Assert.Equal(Enumerable.Range(0, count), epoch.Order());
        Assert.Equal(0, sampler.EpochsCompleted);
    }

    [Fact]
    public void NextIndices_FirstBatch_FollowsFirstPermutation()
    {
        var sampler = new BatchSampler(NumberedSplit(10), new Rng(5));
        int[] expected = new int[10];
        new Rng(5).Permutation(expected);

        int[] batch = DrawBatches(sampler, batchSize: 4, batches: 1);

        Assert.Equal(expected[..4], batch);
    }

    [Fact]
    public void NextIndices_EpochEnd_TopsUpFromFreshPermutation()
    {
        // count 10, batch 4: batches 1-2 take 8 of the first permutation, batch 3 takes its
        // last 2 and the first 2 of the second permutation, batch 4 continues the second
        var sampler = new BatchSampler(NumberedSplit(10), new Rng(11));
        var reference = new Rng(11);
        int[] firstPermutation = new int[10];
        int[] secondPermutation = new int[10];
        reference.Permutation(firstPermutation);
        reference.Permutation(secondPermutation);

        int[] batches = DrawBatches(sampler, batchSize: 4, batches: 4);

        Assert.Equal(firstPermutation[..8], batches[..8]);
        Assert.Equal(firstPermutation[8..], batches[8..10]);
        Assert.Equal(secondPermutation[..2], batches[10..12]);
        Assert.Equal(secondPermutation[2..6], batches[12..16]);
        Assert.Equal(1, sampler.EpochsCompleted);
    }

    [Fact]
    public void NextIndices_BatchLargerThanSplit_ChainsPermutations()
    {
        var sampler = new BatchSampler(NumberedSplit(3), new Rng(2));
        var reference = new Rng(2);
        int[][] permutations = [new int[3], new int[3], new int[3]];
        foreach (int[] permutation in permutations)
        {
            reference.Permutation(permutation);
        }

        int[] batch = DrawBatches(sampler, batchSize: 8, batches: 1);

        Assert.Equal([.. permutations[0], .. permutations[1], .. permutations[2][..2]], batch);
        Assert.Equal(2, sampler.EpochsCompleted);
    }

    [Fact]
    public void NextBatch_CopiesDrawnImagesAndLabels()
    {
        DataSplit split = NumberedSplit(10);
        var sampler = new BatchSampler(split, new Rng(3));
        int[] expectedIndices = new int[10];
        new Rng(3).Permutation(expectedIndices);
        var images = new Tensor(4, DataSplit.Channels, DataSplit.ImageSize, DataSplit.ImageSize);
        int[] labels = new int[4];

        sampler.NextBatch(images, labels);

        for (int n = 0; n < 4; n++)
        {
            int index = expectedIndices[n];
            Assert.Equal(split.Image(index).ToArray(), images.Data.AsSpan(n * ImageLength, ImageLength).ToArray());
            Assert.Equal(split.Labels[index], labels[n]);
        }
    }

    [Fact]
    public void NextBatch_WrongImageShape_ThrowsNamingBothShapes()
    {
        var sampler = new BatchSampler(NumberedSplit(10), new Rng(3));
        var images = new Tensor(4, 1, 28, 28);

        var error = Assert.Throws<ArgumentException>(() => sampler.NextBatch(images, new int[4]));

        Assert.Contains("[4, 1, 32, 32]", error.Message);
        Assert.Contains("[4, 1, 28, 28]", error.Message);
    }

    [Fact]
    public void NextBatch_LabelLengthDiffers_ThrowsNamingBothSizes()
    {
        var sampler = new BatchSampler(NumberedSplit(10), new Rng(3));
        var images = new Tensor(4, 1, 32, 32);

        var error = Assert.Throws<ArgumentException>(() => sampler.NextBatch(images, new int[3]));

        Assert.Contains("Expected 4 labels for images of shape [4, 1, 32, 32]", error.Message);
        Assert.Contains("length 3", error.Message);
    }

    [Fact]
    public void Constructor_EmptySplit_Throws()
    {
        var empty = new DataSplit(Array.Empty<byte>(), []);

        Assert.Throws<ArgumentException>(() => new BatchSampler(empty, new Rng(1)));
    }

    /// <summary>Returns a split whose source image i has every pixel equal to i and whose label is i mod 10.</summary>
    private static DataSplit NumberedSplit(int count)
    {
        var pixels = new byte[count * DataSplit.SourcePixelsPerImage];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * DataSplit.SourcePixelsPerImage, DataSplit.SourcePixelsPerImage).Fill((byte)i);
        }

        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return new DataSplit(pixels, labels);
    }

    private static int[] DrawBatches(BatchSampler sampler, int batchSize, int batches)
    {
        int[] indices = new int[batchSize * batches];
        for (int b = 0; b < batches; b++)
        {
            sampler.NextIndices(indices.AsSpan(b * batchSize, batchSize));
        }

        return indices;
    }
}
