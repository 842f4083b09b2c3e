namespace ClipLab.Reporting;

/// <summary>A run that ended with a dead network, as <see cref="DeadNetworkRule"/> defines it.</summary>
/// <param name="VariantName">The variant's name.</param>
/// <param name="ClipMethod">The variant's clipping method.</param>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Reason">Why it counts as dead, for example "test accuracy 0.1135".</param>
public sealed record DeadNetwork(string VariantName, string ClipMethod, ulong Seed, string Reason);
