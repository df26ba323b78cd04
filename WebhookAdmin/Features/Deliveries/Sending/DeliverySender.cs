using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Destinations;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Deliveries.Tracing;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// Makes one signed POST and reports what happened, in numbers and in plain words. It never throws for
/// anything the receiver or the network does; only shutdown cancels it.
/// </summary>
public sealed class DeliverySender(DeliveryHttpClient http, TimeProvider time, IOptionsMonitor<DeliveryOptions> options)
{
    public const int MaxResponseBodyBytes = 16 * 1024;
    public static readonly string UserAgent = "WebhookAdmin/" + (typeof(DeliverySender).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>The attempt, as an activity of its event's trace when tracing is on (<see cref="EventTrace"/>).</summary>
    public async Task<AttemptResult> SendAsync(DeliveryWork work, CancellationToken shutdown)
    {
        using var activity = EventTrace.StartAttempt(work);
        var result = await SendUntracedAsync(work, shutdown);
        EventTrace.EndAttempt(activity, result);
        return result;
    }

    private async Task<AttemptResult> SendUntracedAsync(DeliveryWork work, CancellationToken shutdown)
    {
        var timeout = options.CurrentValue.Timeout;
        var body = PayloadWriter.Write(work.Webhook, work.Event);
        var startedAt = time.GetUtcNow();
        using var request = BuildRequest(work, body, startedAt.ToUnixTimeSeconds());
        var requestHeaders = HeadersJson(request.Headers, request.Content!.Headers);

        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, shutdown);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var responseBody = await ReadLimitedAsync(response.Content, linked.Token);
            var status = (int)response.StatusCode;
            var succeeded = status is >= 200 and < 300;
            return new AttemptResult(startedAt.UtcDateTime, stopwatch.Elapsed.TotalMilliseconds, status, succeeded,
                succeeded ? null : Describe(response),
                requestHeaders, HeadersJson(response.Headers, response.Content.Headers), responseBody,
                RetryAfter(response, time.GetUtcNow()));
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var error = e is OperationCanceledException ? Because.TimedOut(timeout) : Describe(e);
            return new AttemptResult(startedAt.UtcDateTime, stopwatch.Elapsed.TotalMilliseconds, null, false, error,
                requestHeaders, null, null, null);
        }
    }

    private static HttpRequestMessage BuildRequest(DeliveryWork work, byte[] body, long timestamp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, work.Webhook.Url)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version11,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var secrets = work.Webhook.Secrets;
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        headers.TryAddWithoutValidation("X-Signature", WebhookSigner.BlueSignature(secrets[0], body));
        if (secrets.Count > 1)
            headers.TryAddWithoutValidation("X-Signature-Previous", WebhookSigner.BlueSignature(secrets[1], body));
        headers.TryAddWithoutValidation("webhook-id", work.Event.Id);
        headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.StandardSignatures(secrets, work.Event.Id, timestamp, body));
        headers.TryAddWithoutValidation("X-Webhook-Event", work.Event.Type);
        headers.TryAddWithoutValidation("X-Webhook-Delivery", work.DeliveryId.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation("X-Webhook-Attempt", work.AttemptNumber.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    private static async Task<string?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // Pooled: a fresh 16 KiB per attempt was most of the sender's garbage at thousands of deliveries a second.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponseBodyBytes);
        try
        {
            var total = 0;
            while (total < MaxResponseBodyBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total, MaxResponseBodyBytes - total), cancellationToken);
                if (read == 0) break;
                total += read;
            }
            return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string HeadersJson(HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var all = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers.NonValidated) all[name] = string.Join(", ", values);
        if (contentHeaders is not null)
            foreach (var (name, values) in contentHeaders.NonValidated) all[name] = string.Join(", ", values);
        return JsonSerializer.Serialize(all);
    }

    /// <summary>Honoured on 429 and 503 only, as delta-seconds or an HTTP date.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - now;
        return null;
    }

    private static PlainReason Describe(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return status is >= 300 and < 400
            ? Because.Redirected(status, response.ReasonPhrase, response.Headers.Location)
            : Because.Answered(status, response.ReasonPhrase);
    }

    private static PlainReason Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case DestinationBlockedException blocked:
                    return blocked.Reason;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return Because.Refused;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return Because.HostNotFound;
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return Because.ConnectTimedOut;
                case SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                    return Because.Unreachable;
                case AuthenticationException auth:
                    return Because.TlsFailed(auth.Message);
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return Because.ClosedWithoutAnswer;
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse }:
                    return Because.NotHttp;
            }
        }
        return Because.Unexpected(e.GetBaseException().Message);
    }
}
