using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClipLab.Reporting;

/// <summary>
/// Writes NaN and infinities as JSON <c>null</c>, because JSON has no literal for them and
/// System.Text.Json throws on them by default. Reads <c>null</c> back as NaN.
/// </summary>
internal sealed class NonFiniteDoubleAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
