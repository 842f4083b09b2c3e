using System.Buffers.Binary;
using System.Numerics;

namespace ClipLab.Reporting.TensorBoard;

/// <summary>CRC-32C (Castagnoli) checksums and the masked form that TFRecord files store.</summary>
/// <remarks>
/// CRC-32C uses the reflected polynomial 0x82F63B78, an initial value of 0xFFFFFFFF and a final
/// complement; the check value of the ASCII string "123456789" is 0xE3069283.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> computes the polynomial step, with the
/// processor's CRC32 instruction where there is one. TFRecord masks the checksum as
/// ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xA282EAD8, with 32-bit wrap-around.
/// </remarks>
public static class Crc32C
{
    private const uint MaskDelta = 0xA282EAD8;

    /// <summary>Computes the CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes to checksum; may be empty (checksum 0).</param>
    /// <returns>The checksum.</returns>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (byte value in data)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return ~crc;
    }

    /// <summary>Computes the masked CRC-32C of <paramref name="data"/>, as TFRecord stores it.</summary>
    /// <param name="data">Bytes to checksum.</param>
    /// <returns>The masked checksum.</returns>
    public static uint ComputeMasked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + MaskDelta);
    }
}
