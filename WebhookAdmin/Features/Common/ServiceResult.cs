namespace WebhookAdmin.Features.Common;

/// <summary>
/// What a feature service answers, so the API and the admin pages react the same way: a value, or why not.
/// </summary>
public abstract record ServiceResult<T>
{
    public sealed record Success(T Value) : ServiceResult<T>;
    public sealed record NotFound : ServiceResult<T>;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : ServiceResult<T>;
    public sealed record Forbidden(string Field, string Message) : ServiceResult<T>;
    public sealed record Conflict(string Message) : ServiceResult<T>;

    /// <summary>The request refers to something that does not exist (HTTP 422).</summary>
    public sealed record Unknown(string Field, string Message) : ServiceResult<T>;

    public static implicit operator ServiceResult<T>(T value) => new Success(value);

    /// <summary>The first message, for a snackbar or a one-line error.</summary>
    public string? ErrorMessage => this switch
    {
        Invalid invalid => invalid.Errors.Values.SelectMany(v => v).FirstOrDefault(),
        Forbidden forbidden => forbidden.Message,
        Conflict conflict => conflict.Message,
        Unknown unknown => unknown.Message,
        NotFound => "Not found.",
        _ => null,
    };
}

public static class ServiceResult
{
    public static ServiceResult<T>.Invalid Invalid<T>(string field, string message) => new(new() { [field] = [message] });
}
