using ClipLab.Randomness;

namespace ClipLab.Layers;

/// <summary>
/// LeNet-5 for 32x32 single-channel images, with valid convolutions:
/// conv1 5x5 1->6 [N,1,32,32]->[N,6,28,28], ReLU, max-pool 2 ->[N,6,14,14];
/// conv2 5x5 6->16 ->[N,16,10,10], ReLU, max-pool 2 ->[N,16,5,5], flatten ->[N,400];
/// fc1 400->120, ReLU; fc2 120->84, ReLU; fc3 84->10 logits.
/// </summary>
public static class LeNet5
{
    /// <summary>Height and width of the input images.</summary>
    public const int ImageSize = 32;

    /// <summary>Number of output classes.</summary>
    public const int ClassCount = 10;

    private const int KernelSize = 5;
    private const int PoolSize = 2;

    /// <summary>
    /// Builds the network with truncated-normal weights (mean 0, standard deviation
    /// <paramref name="initStdDev"/>, redrawn beyond two standard deviations) and zero biases.
    /// Weights are drawn from <paramref name="rng"/> layer by layer in forward order.
    /// </summary>
    /// <param name="rng">Source of the initial weights.</param>
    /// <param name="initStdDev">Standard deviation of the weights; the reference experiment uses 0.1.</param>
    public static Sequential Create(Rng rng, double initStdDev = 0.1)
    {
        ArgumentNullException.ThrowIfNull(rng);

        var conv1 = new Conv2d("conv1", inChannels: 1, outChannels: 6, KernelSize);
        var pool1 = new MaxPool2d("pool1", PoolSize);
        int size1 = pool1.OutputSize(conv1.OutputSize(ImageSize));
        var conv2 = new Conv2d("conv2", inChannels: conv1.OutChannels, outChannels: 16, KernelSize);
        var pool2 = new MaxPool2d("pool2", PoolSize);
        int size2 = pool2.OutputSize(conv2.OutputSize(size1));
        var fc1 = new Linear("fc1", conv2.OutChannels * size2 * size2, 120);
        var fc2 = new Linear("fc2", fc1.OutFeatures, 84);
        var fc3 = new Linear("fc3", fc2.OutFeatures, ClassCount);

        var network = new Sequential(
            "lenet5",
            conv1, new Relu("relu1"), pool1,
            conv2, new Relu("relu2"), pool2,
            new Flatten("flatten"),
            fc1, new Relu("relu3"),
            fc2, new Relu("relu4"),
            fc3);

        // weights truncated normal, biases left at zero
        foreach (Parameter parameter in network.Parameters)
        {
            if (parameter.Name.EndsWith(".weight", StringComparison.Ordinal))
            {
                TruncatedNormal.Fill(parameter.Value.Span, initStdDev, rng);
            }
        }

        return network;
    }
}
