using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// Ids for companies and projects made in the admin app. The API takes the host platform's own ids; a person
/// typing a name gets a readable one derived from it ("São Paulo office" → "sao-paulo-office"), which they may edit.
/// </summary>
public static partial class Slugs
{
    public static string From(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var plain = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) plain.Append(c);
        var slug = NotSlug().Replace(plain.ToString().ToLowerInvariant(), "-").Trim('-');
        return slug.Length <= Limits.ExternalId ? slug : slug[..Limits.ExternalId].TrimEnd('-');
    }

    /// <summary>Lower-case letters, digits and single hyphens inside; what <see cref="From"/> makes.</summary>
    public static bool IsValid(string? id) => id is { Length: > 0 and <= Limits.ExternalId } && Shape().IsMatch(id);

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Shape();
}
