using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace WebhookAdmin.Hosting.Api;

/// <summary>
/// Every API error is <c>application/problem+json</c> with <c>title</c>, <c>status</c>, <c>detail</c> and
/// <c>errors</c> (field → messages), so a client can always point at the field at fault.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, string[]>? errors = null) =>
        TypedResults.Problem(Create(status, title, detail, errors));

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status400BadRequest, "The request is not valid",
            "One or more fields are missing or wrong: see 'errors'.", errors);

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, "Not found", $"{what} was not found.");

    public static ProblemHttpResult Forbidden(string detail, string? field = null) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", detail,
            field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });

    public static ProblemHttpResult Unprocessable(string field, string message) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "The request refers to something unknown", message,
            new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemDetails Create(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["errors"] = errors ?? new Dictionary<string, string[]>();
        return problem;
    }

    /// <summary>For places outside an endpoint (authentication challenges, the exception handler).</summary>
    public static async Task Write(HttpContext context, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Create(status, title, detail, errors),
        });
    }
}
