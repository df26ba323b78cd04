using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Hosting.Api;

/// <summary>Maps a feature service's answer to HTTP: one table for every route.</summary>
public static class ServiceResultHttp
{
    public static IResult ToHttp<T>(this ServiceResult<T> result, Func<T, IResult> success, string what = "The webhook") => result switch
    {
        ServiceResult<T>.Success ok => success(ok.Value),
        ServiceResult<T>.NotFound => ApiProblems.NotFound(what),
        ServiceResult<T>.Invalid invalid => ApiProblems.Validation(invalid.Errors),
        ServiceResult<T>.Forbidden forbidden => ApiProblems.Forbidden(forbidden.Message, forbidden.Field),
        ServiceResult<T>.Conflict conflict => ApiProblems.Conflict(conflict.Message),
        ServiceResult<T>.Unknown unknown => ApiProblems.Unprocessable(unknown.Field, unknown.Message),
        _ => throw new InvalidOperationException($"Unexpected result {result}."),
    };
}
