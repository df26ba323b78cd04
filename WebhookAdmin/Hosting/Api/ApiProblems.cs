using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

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

    /// <summary>
    /// For places outside an endpoint (authentication challenges, the exception handler, status code pages).
    /// Written as JSON whatever the request's Accept header says, like the endpoints' own problems:
    /// IProblemDetailsService finds no writer for <c>Accept: text/html</c> and throws, which turned a 401 into a 500.
    /// </summary>
    public static async Task Write(HttpContext context, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (context.Response.HasStarted) return;
        await Problem(status, title, detail, errors).ExecuteAsync(context);
    }

    /// <summary>
    /// API requests the framework ends with a status and no body (routing's 415 when the body is not JSON,
    /// a 413 caught while binding the body, 405, an unknown route) get the same problem shape as every
    /// other API error, instead of falling through to the admin UI's not-found page.
    /// </summary>
    public static async Task WriteStatusCodePage(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        var (title, detail, field) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("The request body is too large", "Send a smaller body; see the route's documented limit.", "body"),
            StatusCodes.Status415UnsupportedMediaType => ("The body must be JSON", "Send the body as JSON with 'Content-Type: application/json'.", "body"),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{context.Request.Method} is not allowed on this route.", "method"),
            StatusCodes.Status404NotFound => ("Not found", "No API route matches this path; GET /openapi/v1.json lists them.", null),
            _ => (ReasonPhrases.GetReasonPhrase(status), ReasonPhrases.GetReasonPhrase(status), null),
        };
        await Write(context, status, title, detail, field is null ? null : new Dictionary<string, string[]> { [field] = [detail] });
    }
}
