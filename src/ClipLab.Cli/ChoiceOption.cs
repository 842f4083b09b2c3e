using System.CommandLine;

namespace ClipLab.Cli;

/// <summary>An option that accepts one of a fixed set of names, case-insensitively, and nothing else (no numbers).</summary>
internal static class ChoiceOption
{
    /// <summary>Creates the option; the message for any other value lists the accepted names.</summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue, IReadOnlyDictionary<string, T> choices) =>
        new(name)
        {
            Description = description,
            HelpName = string.Join('|', choices.Keys),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                foreach (KeyValuePair<string, T> choice in choices)
                {
                    if (string.Equals(choice.Key, token.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        return choice.Value;
                    }
                }

                result.AddError($"{name} must be {string.Join(" or ", choices.Keys)}, got '{token}'.");
                return defaultValue;
            },
        };
}
