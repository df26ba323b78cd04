namespace WebhookAdmin.Hosting.Api;

/// <summary>
/// Text with a NUL character (<c>\u0000</c>) is bad input: PostgreSQL cannot store it in a text column at all (it
/// answered a 500), and no name, address or id means one. Refused with a 400 naming the field, on either database:
/// in a JSON body by <see cref="ContractNulls"/>' walk of the bound body, in the path or query here. Event payloads
/// keep it: they are stored as the JSON text that was sent, where it stays the escape <c>\u0000</c>.
/// </summary>
public static class NulCharacters
{
    public const string Message = "must not contain the NUL character (\\u0000)";

    /// <summary>For the API: a path or query value holding a NUL answers 400 before any endpoint sees it.</summary>
    public static IApplicationBuilder UseNulCharacterChecks(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var field = request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true ? "path"
            : request.Query.FirstOrDefault(q => q.Key.Contains('\0', StringComparison.Ordinal)
                                                || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)).Key;
        if (field is null)
        {
            await next(context);
            return;
        }
        field = field.Replace("\0", "", StringComparison.Ordinal);
        var detail = $"'{field}' {Message}.";
        await ApiProblems.Write(context, StatusCodes.Status400BadRequest, "The request could not be read", detail,
            new Dictionary<string, string[]> { [field] = [detail] });
    });
}
