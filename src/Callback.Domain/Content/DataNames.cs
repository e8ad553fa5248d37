namespace Callback.Domain.Content;

/// <summary>Enum values as the data files write them: by name, in any case ("victim", "yesNo"), never by number.</summary>
internal static class DataNames
{
    /// <summary>The value named <paramref name="name"/>, or null after adding a problem that lists the names allowed.</summary>
    public static TEnum? Parse<TEnum>(string? name, string where, List<string> problems, IReadOnlyCollection<TEnum>? allowed = null)
        where TEnum : struct, Enum
    {
        var choices = allowed ?? Enum.GetValues<TEnum>();
        if (name is { Length: > 0 } && char.IsLetter(name[0]) && Enum.TryParse<TEnum>(name, ignoreCase: true, out var value) && choices.Contains(value))
        {
            return value;
        }

        problems.Add($"{where}: \"{name}\" is not one of {string.Join(", ", choices.Select(Write))}");
        return null;
    }

    /// <summary>The name as the files write it: camelCase.</summary>
    public static string Write<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
