namespace ClipLab.Tests.Reference;

/// <summary>What wrote a fixture: the command and the versions of PyTorch, NumPy and Python.</summary>
internal sealed record GeneratorInfo(
    string Command,
    string TorchVersion,
    string? TorchDebianPackage,
    string NumpyVersion,
    string PythonVersion,
    int TorchThreads);
