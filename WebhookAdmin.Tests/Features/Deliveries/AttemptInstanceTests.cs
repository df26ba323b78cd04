using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>Every attempt records which instance made it (<c>Instance:Name</c>), scheduled and manual alike.</summary>
public sealed class AttemptInstanceTests() : WorldTests(
    WorldOptions.Default.With("Delivery:MaxAttempts", "1").With("Instance:Name", "  alpha-1  "))
{
    [Fact]
    public async Task A_scheduled_attempt_and_a_resend_both_carry_the_configured_instance_name()
    {
        Receiver.Respond(ReceiverAnswer.Fail(500));
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        await World.WaitForStatusAsync(id, "failed");

        Receiver.Respond(ReceiverAnswer.Ok);
        await World.Admin.PostOk($"/api/v1/deliveries/{id}/resend", null, HttpStatusCode.Accepted);
        var delivery = await World.WaitForStatusAsync(id, "delivered");

        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal(["scheduled", "manual"], log.Select(a => a.Str("trigger")));
        Assert.Equal(["alpha-1", "alpha-1"], log.Select(a => a.Str("instance")));
    }
}

/// <summary>Without <c>Instance:Name</c>: the host name and the process id; a name too long stops the start.</summary>
public sealed class DefaultInstanceNameTests() : WorldTests(WorldOptions.Default)
{
    [Fact]
    public async Task Without_a_setting_an_attempt_names_the_host_and_the_process()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var delivery = await World.WaitForStatusAsync(id, "delivered");

        var attempt = delivery.GetProperty("attemptLog")[0];
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", attempt.Str("instance"));
    }

    [Fact]
    public async Task A_name_over_100_characters_is_refused_at_start_naming_the_setting()
    {
        await using var app = new TestApp(new Dictionary<string, string?> { ["Instance:Name"] = new string('n', 101) });
        var error = Assert.ThrowsAny<Exception>(() => app.BaseAddress);
        Assert.Contains("Instance:Name must be at most 100 characters", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>A name of the full 100 characters still claims: the lease keeps 40 of them and fits its 64-character column.</summary>
public sealed class LongInstanceNameTests() : WorldTests(WorldOptions.Default.With("Instance:Name", "instance-" + new string('x', 91)))
{
    [Fact]
    public async Task A_100_character_name_delivers_and_is_recorded_whole()
    {
        var (webhookId, _) = await World.CreateWebhookAsync(Receiver.UrlFor());
        var eventId = await World.PublishAsync();
        var id = (await World.DeliveryAsync(webhookId, eventId)).GetProperty("id").GetInt64();
        var delivery = await World.WaitForStatusAsync(id, "delivered");

        Assert.Equal("instance-" + new string('x', 91), delivery.GetProperty("attemptLog")[0].Str("instance"));
    }
}
