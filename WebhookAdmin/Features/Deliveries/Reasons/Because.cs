using System.Globalization;
using System.Net;
using WebhookAdmin.Features.Deliveries.Destinations;

namespace WebhookAdmin.Features.Deliveries.Reasons;

/// <summary>
/// Every reason the engine (and a person turning a webhook off) can give. Each code has its words under
/// <c>Reason.{Code}</c> in both resource files; the English ones are the API's text, so they never change.
/// Codes are stored in the database: rename one only with a migration of the rows that use it.
/// </summary>
public static class Because
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    // What the receiver or the network did to an attempt.
    public static readonly PlainReason Refused = Bare("Refused");
    public static readonly PlainReason HostNotFound = Bare("HostNotFound");
    public static readonly PlainReason ConnectTimedOut = Bare("ConnectTimedOut");
    public static readonly PlainReason Unreachable = Bare("Unreachable");
    public static readonly PlainReason ClosedWithoutAnswer = Bare("ClosedWithoutAnswer");
    public static readonly PlainReason NotHttp = Bare("NotHttp");

    // A claim handed back without an attempt, or cut short.
    public static readonly PlainReason CallerLeft = Bare("NotSent.CallerLeft");
    public static readonly PlainReason CallerLeftOrAppStopped = Bare("NotSent.CallerLeftOrStopped");
    public static readonly PlainReason WebhookDisabled = Bare("NotSent.WebhookDisabled");
    public static readonly PlainReason AppStopped = Bare("NotSent.AppStopped");
    public static readonly PlainReason WebhookDeleted = Bare("NotSent.WebhookDeleted");
    public static readonly PlainReason Interrupted = Bare("Interrupted");

    /// <summary>"500 Internal Server Error": the status line as the receiver sent it.</summary>
    public static PlainReason Answered(int status, string? phrase) =>
        new("Answered", Args(("status", Number(status)), ("answer", Answer(status, phrase))));

    public static PlainReason Redirected(int status, string? phrase, Uri? location) => location is null
        ? new("RedirectNowhere", Args(("status", Number(status)), ("answer", Answer(status, phrase))))
        : new("Redirect", Args(("status", Number(status)), ("answer", Answer(status, phrase)), ("location", location.ToString())));

    public static PlainReason TimedOut(TimeSpan timeout) =>
        new("TimedOut", Args(("timeout", timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture))));

    /// <summary><paramref name="detail"/>: the TLS library's own (English) words.</summary>
    public static PlainReason TlsFailed(string detail) => new("TlsFailed", Args(("detail", detail)));

    /// <summary>The SSRF guard at connect time; <paramref name="rule"/> is one of <see cref="AddressPolicy.Rules"/>.</summary>
    public static PlainReason Blocked(string host, IPAddress address, string rule) =>
        new("Blocked", Args(("host", host), ("address", address.ToString())), Address(rule));

    public static PlainReason Unresolvable(string host) => new("Unresolvable", Args(("host", host)));

    /// <summary>Anything not foreseen: the exception's own (English) message.</summary>
    public static PlainReason Unexpected(string message) => new("Unexpected", Args(("message", message)));

    public static PlainReason Address(string rule) => Bare("Address." + rule);

    // Why a webhook is off.
    public static PlainReason Gone(DateTime at) => new("Disabled.Gone", Args(("at", Moment(at))));

    public static PlainReason FailedInARow(DateTime at, string eventType, int times, PlainReason? lastError) =>
        new("Disabled.FailedInARow", Args(("at", Moment(at)), ("event", eventType), ("count", Number(times))), lastError);

    public static PlainReason DisabledBy(string email, DateTime at) => new("Disabled.ByPerson", Args(("email", email), ("at", Moment(at))));

    /// <summary>Every code, so a test can check that each has words in every language.</summary>
    public static IEnumerable<string> Codes =>
    [
        Refused.Code, HostNotFound.Code, ConnectTimedOut.Code, Unreachable.Code, ClosedWithoutAnswer.Code, NotHttp.Code,
        CallerLeft.Code, CallerLeftOrAppStopped.Code, WebhookDisabled.Code, AppStopped.Code, WebhookDeleted.Code, Interrupted.Code,
        "Answered", "Redirect", "RedirectNowhere", "TimedOut", "TlsFailed", "Blocked", "Unresolvable", "Unexpected",
        "Disabled.Gone", "Disabled.FailedInARow", "Disabled.ByPerson",
        .. AddressPolicy.Rules.Select(rule => Address(rule).Code),
    ];

    private static PlainReason Bare(string code) => new(code, None);

    private static Dictionary<string, string> Args(params (string Name, string Value)[] args) =>
        args.ToDictionary(a => a.Name, a => a.Value);

    private static string Answer(int status, string? phrase) =>
        string.IsNullOrEmpty(phrase) ? Number(status) : $"{Number(status)} {phrase}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Kept to the second, in UTC; <see cref="ReasonText"/> writes it in the reader's format.</summary>
    private static string Moment(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
