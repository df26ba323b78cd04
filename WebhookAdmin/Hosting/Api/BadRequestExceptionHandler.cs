using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace WebhookAdmin.Hosting.Api;

/// <summary>
/// Turns what the framework throws on unreadable input (invalid JSON, wrong types, oversized bodies)
/// into a 4xx problem naming the field, instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await ApiProblems.Write(httpContext, StatusCodes.Status413PayloadTooLarge, "The request body is too large",
                    "Send a smaller body; see the route's documented limit.",
                    new Dictionary<string, string[]> { ["body"] = ["The request body is too large."] });
                return true;

            case BadHttpRequestException bad when Find<JsonException>(bad) is { } json:
                var field = JsonPathToField(json.Path);
                var message = json.InnerException is InvalidOperationException
                    // System.Text.Json's words for an unpaired surrogate escape or bytes that are not UTF-8.
                    ? $"'{field}' holds text that is not Unicode (an unpaired surrogate escape such as \\ud800, or bytes that are not UTF-8)."
                    : json.Message.Contains("could not be converted", StringComparison.Ordinal)
                        ? $"'{field}' has the wrong type (for example a number where text is expected)."
                        : $"The body is not valid JSON (the problem is at '{field}').";
                await ApiProblems.Write(httpContext, StatusCodes.Status400BadRequest, "The request body could not be read", message,
                    new Dictionary<string, string[]> { [field] = [message] });
                return true;

            // The JSON reader asks Encoding.GetEncoding for the declared charset and lets its refusal out as a bare
            // InvalidOperationException; the request says why, so it is recognised there instead of by message.
            case InvalidOperationException when UnknownCharset(httpContext.Request) is { } charset:
                var unsupported = $"The charset '{charset}' is not one the server can read; send UTF-8 JSON.";
                await ApiProblems.Write(httpContext, StatusCodes.Status415UnsupportedMediaType, "The body must be JSON", unsupported,
                    new Dictionary<string, string[]> { ["body"] = [unsupported] });
                return true;

            case BadHttpRequestException bad:
                var parameter = ParameterName(bad.Message) ?? "body";
                await ApiProblems.Write(httpContext, bad.StatusCode, "The request could not be read", FirstLine(bad.Message),
                    new Dictionary<string, string[]> { [parameter] = [FirstLine(bad.Message)] });
                return true;

            default:
                return false;
        }
    }

    /// <summary>The framework says <c>Failed to bind parameter "bool? enabled" from "maybe".</c>; the field is <c>enabled</c>.</summary>
    private static string? ParameterName(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, "parameter \"(?:[^\"]* )?(\\w+)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? UnknownCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset.Length == 0) return null;
        var charset = type.Charset.ToString().Trim('"');
        try
        {
            _ = Encoding.GetEncoding(charset);
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T match) return match;
        return null;
    }

    /// <summary><c>$.events[0]</c> → <c>events[0]</c>; <c>$</c> or nothing → <c>body</c>.</summary>
    internal static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
