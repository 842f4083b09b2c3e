namespace ClipLab.Cli;

/// <summary>A decoded image as 8-bit grey levels, row-major, 0 black to 255 white.</summary>
internal sealed record GreyImage(byte[] Pixels, int Width, int Height);
