using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using WebhookAdmin.Features.Deliveries.Sending;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>Known-answer tests of both signatures, and the official library agreeing with ours.</summary>
public sealed class WebhookSignerTests
{
    // The example of the Standard Webhooks specification (and Svix's documentation).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";

    [Fact]
    public void The_standard_signature_matches_the_specification_s_example() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSigner.StandardSignature(SpecSecret, SpecMessageId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));

    [Fact]
    public void The_Blue_signature_is_lowercase_hex_HMAC_SHA256_keyed_with_the_whole_secret_string() =>
        // Computed independently: python3 hmac.new(secret.encode(), body, sha256).hexdigest()
        Assert.Equal("80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c",
            WebhookSigner.BlueSignature(SpecSecret, Encoding.UTF8.GetBytes(SpecBody)));

    [Fact]
    public void The_official_library_signs_exactly_as_we_do_for_a_fresh_secret()
    {
        var secret = WebhookSecrets.NewSecret();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        const string body = "{\"id\":\"evt_1\",\"event\":\"TODO_CREATED\",\"title\":\"Grüße\"}";

        var theirs = new StandardWebhook(secret).Sign("evt_1", timestamp, body);

        Assert.Equal(theirs, WebhookSigner.StandardSignature(secret, "evt_1", timestamp.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_the_official_library_holding_either_one_accepts()
    {
        var current = WebhookSecrets.NewSecret();
        var previous = WebhookSecrets.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = "{\"id\":\"evt_9\"}";

        var header = WebhookSigner.StandardSignatures([current, previous], "evt_9", now, Encoding.UTF8.GetBytes(body));

        var entries = header.Split(' ');
        Assert.All(entries, e => Assert.StartsWith("v1,", e));
        Assert.Equal(
            new[] { current, previous }.Select(s => WebhookSigner.StandardSignature(s, "evt_9", now, Encoding.UTF8.GetBytes(body))).Order(),
            entries.Distinct().Order());
        var headers = Headers("evt_9", now, header);
        new StandardWebhook(current).Verify(body, headers);
        new StandardWebhook(previous).Verify(body, headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecrets.NewSecret()).Verify(body, headers));
    }

    [Fact]
    public void One_secret_gives_exactly_one_entry()
    {
        var header = WebhookSigner.StandardSignatures([WebhookSecrets.NewSecret()], "evt_1", 1, "{}"u8);
        Assert.DoesNotContain(' ', header);
    }

    /// <summary>
    /// Why the first entry is repeated: StandardWebhooks 1.1.2 stops before the last of several entries.
    /// When this fails, the library was fixed and the repeat in <see cref="WebhookSigner.StandardSignatures"/> can go.
    /// </summary>
    [Fact]
    public void The_official_library_still_ignores_the_last_of_two_plain_entries()
    {
        var first = WebhookSecrets.NewSecret();
        var last = WebhookSecrets.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = "{}";
        var plain = WebhookSigner.StandardSignature(first, "evt_1", now, "{}"u8) + " " + WebhookSigner.StandardSignature(last, "evt_1", now, "{}"u8);

        new StandardWebhook(first).Verify(body, Headers("evt_1", now, plain));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(last).Verify(body, Headers("evt_1", now, plain)));
    }

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };

    [Fact]
    public void A_changed_byte_of_the_body_breaks_both_signatures()
    {
        var secret = WebhookSecrets.NewSecret();
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var tampered = Encoding.UTF8.GetBytes("{\"a\":2}");

        Assert.NotEqual(WebhookSigner.BlueSignature(secret, body), WebhookSigner.BlueSignature(secret, tampered));
        Assert.NotEqual(WebhookSigner.StandardSignature(secret, "evt_1", 1, body), WebhookSigner.StandardSignature(secret, "evt_1", 1, tampered));
    }

    [Fact]
    public void New_secrets_carry_the_prefix_and_32_random_bytes()
    {
        var secret = WebhookSecrets.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSecrets.NewSecret());
    }
}
