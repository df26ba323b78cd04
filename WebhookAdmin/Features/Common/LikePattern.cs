namespace WebhookAdmin.Features.Common;

/// <summary>
/// What a person typed, for SQL <c>LIKE</c> taken as written: "50%" finds "50% off" but not "5000 orders", "a_b" not
/// "axb". Use both halves together: <c>EF.Functions.Like(column, LikePattern.Containing(text), LikePattern.Escape)</c>.
/// </summary>
public static class LikePattern
{
    /// <summary>LIKE has no escape character unless the query names one (the <c>ESCAPE</c> clause).</summary>
    public const string Escape = @"\";

    public static string Containing(string text) => $"%{Literal(text)}%";

    // The escape character first: otherwise the ones added for % and _ would be doubled too.
    private static string Literal(string text) =>
        text.Replace(Escape, Escape + Escape, StringComparison.Ordinal)
            .Replace("%", Escape + "%", StringComparison.Ordinal)
            .Replace("_", Escape + "_", StringComparison.Ordinal);
}
