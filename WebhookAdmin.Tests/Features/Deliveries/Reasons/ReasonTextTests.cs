using System.Globalization;
using System.Net;
using WebhookAdmin.Features.Deliveries.Destinations;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Tests.Features.Deliveries.Reasons;

/// <summary>
/// A reason's words: English exactly as the API said it before reasons had parts (API clients match on it), the
/// reader's language otherwise, and the stored sentence whenever the parts cannot be put into words.
/// </summary>
public sealed class ReasonTextTests
{
    private static readonly DateTime At = new(2026, 11, 26, 10, 0, 42, DateTimeKind.Utc);
    private static readonly CultureInfo Portuguese = CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>Every sentence the engine and the webhook service wrote before, byte for byte.</summary>
    public static TheoryData<PlainReason, string> EnglishAsBefore => new()
    {
        { Because.Answered(500, "Internal Server Error"), "the receiver answered 500 Internal Server Error" },
        { Because.Answered(599, ""), "the receiver answered 599" },
        { Because.Redirected(302, "Found", new Uri("https://elsewhere.example/hook")),
            "the receiver answered 302 Found, a redirect to https://elsewhere.example/hook; redirects are not followed" },
        { Because.Redirected(301, null, null), "the receiver answered 301, a redirect; redirects are not followed" },
        { Because.TimedOut(TimeSpan.FromSeconds(7)), "timed out after 7 s" },
        { Because.TimedOut(TimeSpan.FromMilliseconds(1500)), "timed out after 1.5 s" },
        { Because.TimedOut(TimeSpan.FromMilliseconds(250)), "timed out after 250 ms" },
        { Because.Refused, "connection refused" },
        { Because.HostNotFound, "the host name could not be resolved (DNS)" },
        { Because.ConnectTimedOut, "the connection timed out" },
        { Because.Unreachable, "the receiver's network could not be reached" },
        { Because.TlsFailed("The remote certificate is invalid."), "the TLS handshake failed: The remote certificate is invalid." },
        { Because.ClosedWithoutAnswer, "the receiver closed the connection without answering" },
        { Because.NotHttp, "the receiver's answer was not valid HTTP" },
        { Because.Blocked("intranet.example", IPAddress.Parse("10.0.0.5"), "Private"),
            "blocked: intranet.example resolved to 10.0.0.5, which is a private network address (RFC 1918)" },
        { Because.Unresolvable("nowhere.example"), "the host name 'nowhere.example' could not be resolved" },
        { Because.Unexpected("An error occurred while sending the request."), "An error occurred while sending the request." },
        { Because.CallerLeft, "not sent: the person who asked stopped waiting" },
        { Because.CallerLeftOrAppStopped, "not sent: the person who asked stopped waiting, or the app stopped" },
        { Because.WebhookDisabled, "not sent: the webhook was disabled" },
        { Because.AppStopped, "not sent: the app stopped" },
        { Because.WebhookDeleted, "not sent: the webhook was deleted" },
        { Because.Interrupted, "interrupted: the app stopped before this attempt finished" },
        { Because.Gone(At), "Disabled automatically on 2026-11-26 10:00 UTC: the receiver answered 410 Gone, which means the endpoint no longer exists." },
        { Because.FailedInARow(At, "TODO_CREATED", 5, Because.Answered(503, "Service Unavailable")),
            "Disabled automatically on 2026-11-26 10:00 UTC: a TODO_CREATED delivery failed 5 times in a row. Last error: the receiver answered 503 Service Unavailable." },
        { Because.DisabledBy("ana@example.com", At), "Disabled by ana@example.com on 2026-11-26 10:00 UTC." },
    };

    [Theory]
    [MemberData(nameof(EnglishAsBefore))]
    public void The_English_words_are_the_API_s_sentence_unchanged(PlainReason reason, string english)
    {
        Assert.Equal(english, reason.English());
        // Whatever the thread's culture: the engine runs under the process's, the pages under the reader's.
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = Portuguese;
        try { Assert.Equal(english, reason.English()); }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Theory]
    [MemberData(nameof(EnglishAsBefore))]
    public void The_stored_form_puts_back_the_same_reason(PlainReason reason, string english)
    {
        var stored = PlainReason.FromJson(reason.ToJson());
        Assert.NotNull(stored);
        Assert.Equal(english, stored.English());
        Assert.Equal(reason.ToJson(), stored.ToJson());
    }

    [Theory]
    [InlineData("Loopback", "a loopback address", "um endereço de loopback (a própria máquina)")]
    [InlineData("Metadata", "a cloud metadata address", "um endereço de metadados de nuvem")]
    [InlineData("ThisNetwork", "an unspecified (\"this network\") address", "um endereço não especificado (\"esta rede\")")]
    [InlineData("UniqueLocal", "a unique-local (private) address", "um endereço unique-local (privado)")]
    public void An_address_rule_reads_as_before_in_English_and_in_Portuguese(string rule, string english, string portuguese)
    {
        Assert.Equal(english, Because.Address(rule).English());
        Assert.Equal(portuguese, ReasonText.Render(Because.Address(rule), Portuguese));
        Assert.Contains(rule, AddressPolicy.Rules);
    }

    [Fact]
    public void Portuguese_readers_get_Portuguese_words_with_the_date_and_numbers_in_their_format()
    {
        Assert.Equal("Desligado automaticamente em 26/11/2026 às 10:00 UTC: uma entrega de TODO_CREATED falhou 5 vezes seguidas. " +
                     "Último erro: tempo esgotado após 1,5 s.",
            ReasonText.Render(Because.FailedInARow(At, "TODO_CREATED", 5, Because.TimedOut(TimeSpan.FromMilliseconds(1500))), Portuguese));
        Assert.Equal("Desligado por ana@example.com em 26/11/2026 às 10:00 UTC.", ReasonText.Render(Because.DisabledBy("ana@example.com", At), Portuguese));
        Assert.Equal("bloqueado: intranet.example aponta para 10.0.0.5, que é um endereço de rede privada (RFC 1918)",
            ReasonText.Render(Because.Blocked("intranet.example", IPAddress.Parse("10.0.0.5"), "Private"), Portuguese));
        // The receiver's own status line stays as it sent it.
        Assert.Equal("o destino respondeu 500 Internal Server Error", ReasonText.Render(Because.Answered(500, "Internal Server Error"), Portuguese));
    }

    [Fact]
    public void Every_code_has_words_in_English_and_in_Portuguese()
    {
        foreach (var code in Because.Codes)
        {
            var reason = new PlainReason(code, new Dictionary<string, string>());
            Assert.True(ReasonText.Render(reason, ReasonText.EnglishCulture) is not null, code);
            Assert.True(ReasonText.Render(reason, Portuguese) is not null, code);
        }
    }

    [Fact]
    public void A_row_without_parts_or_with_parts_this_version_cannot_read_shows_its_stored_sentence()
    {
        const string stored = "the receiver answered 500 Internal Server Error";
        Assert.Equal(stored, ReasonText.For(stored, null, Portuguese));
        Assert.Equal(stored, ReasonText.For(stored, new PlainReason("FromANewerVersion", new Dictionary<string, string>()), Portuguese));
        // Its cause unknown: no half-translated sentence either.
        Assert.Equal(stored, ReasonText.For(stored, Because.FailedInARow(At, "TODO_CREATED", 5, new PlainReason("Unknown", new Dictionary<string, string>())), Portuguese));
        Assert.Null(PlainReason.FromJson("not json"));
        Assert.Null(PlainReason.FromJson("""{"args":{}}"""));
        Assert.Equal("conexão recusada", ReasonText.For(stored, PlainReason.FromJson("""{"code":"Refused"}"""), Portuguese));
    }
}
