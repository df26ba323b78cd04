using System.Security.Claims;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Features.Webhooks;

public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(ApiPolicies.Webhooks);
        group.MapPost("/", Create).WithSummary("Create a webhook; the answer carries its secret, the only time it is shown")
            .Produces<CreatedWebhookResponse>(StatusCodes.Status201Created);
        group.MapGet("/", List).WithSummary("The caller's webhooks, newest first (admin: every webhook)")
            .Produces<Paged<WebhookResponse>>();
        group.MapGet("/{id}", Get).WithSummary("One webhook (never its secret)").Produces<WebhookResponse>();
        group.MapPatch("/{id}", Update).WithSummary("Change name, url, events or projectIds; lists replace").Produces<WebhookResponse>();
        group.MapPost("/{id}/disable", Disable).WithSummary("Stop deliveries; pending ones are held").Produces<WebhookResponse>();
        group.MapPost("/{id}/enable", Enable).WithSummary("Health-check the receiver, then enable and replay held deliveries")
            .Produces<EnableWebhookResponse>();
        group.MapPost("/{id}/rotate-secret", RotateSecret).WithSummary("New secret; the old one keeps signing for the overlap")
            .Produces<RotateSecretResponse>();
        group.MapPost("/{id}/test", Test).WithSummary("Send a sample event now and return the receiver's answer")
            .Produces<TestWebhookResponse>();
        group.MapGet("/{id}/health", Health).WithSummary("Success rate, latency and backlog of one webhook")
            .Produces<WebhookHealthResponse>();
        group.MapGet("/{id}/deliveries", Deliveries).WithSummary("The webhook's deliveries, newest first")
            .Produces<Paged<DeliveryResponse>>();
        group.MapDelete("/{id}", Delete).WithSummary("Delete; undelivered deliveries become skipped");
        return api;
    }

    public static async Task<IResult> Create(CreateWebhookRequest? request, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send the webhook as a JSON object with at least 'url'.");
        var result = await webhooks.CreateAsync(CurrentUser.From(principal), request, cancellationToken);
        return result.ToHttp(created =>
            TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", CreatedWebhookResponse.From(created.Webhook, created.Secret)));
    }

    public static async Task<IResult> List(bool? enabled, int? skip, int? take, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryCreate(skip, take, out var page, out var errors)) return ApiProblems.Validation(errors);
        return TypedResults.Ok(await webhooks.ListAsync(CurrentUser.From(principal), new WebhookFilter(enabled), page, cancellationToken));
    }

    public static async Task<IResult> Get(string id, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken) =>
        await webhooks.FindAsync(CurrentUser.From(principal), id, cancellationToken) is { } webhook
            ? TypedResults.Ok(WebhookResponse.From(webhook))
            : ApiProblems.NotFound("The webhook");

    public static async Task<IResult> Update(string id, UpdateWebhookRequest? request, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send the fields to change as a JSON object.");
        var result = await webhooks.UpdateAsync(CurrentUser.From(principal), id, request, cancellationToken);
        return result.ToHttp(TypedResults.Ok);
    }

    public static async Task<IResult> Disable(string id, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken) =>
        (await webhooks.DisableAsync(CurrentUser.From(principal), id, cancellationToken)).ToHttp(TypedResults.Ok);

    public static async Task<IResult> Enable(string id, EnableWebhookRequest? request, ClaimsPrincipal principal, WebhookProbes probes, CancellationToken cancellationToken) =>
        (await probes.EnableAsync(CurrentUser.From(principal), id, request?.ReplayHeld ?? true, cancellationToken)).ToHttp(TypedResults.Ok);

    public static async Task<IResult> RotateSecret(string id, RotateSecretRequest? request, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken) =>
        (await webhooks.RotateSecretAsync(CurrentUser.From(principal), id, request?.Overlap, cancellationToken)).ToHttp(TypedResults.Ok);

    public static async Task<IResult> Test(string id, TestWebhookRequest? request, ClaimsPrincipal principal, WebhookProbes probes, CancellationToken cancellationToken) =>
        (await probes.TestAsync(CurrentUser.From(principal), id, request?.Event, cancellationToken)).ToHttp(TypedResults.Ok);

    public static async Task<IResult> Health(string id, ClaimsPrincipal principal, WebhookHealth health, CancellationToken cancellationToken) =>
        (await health.ForWebhookAsync(CurrentUser.From(principal), id, cancellationToken)).ToHttp(TypedResults.Ok);

    public static async Task<IResult> Deliveries(
        string id, string? status, string? @event, string? projectId, DateTimeOffset? since, DateTimeOffset? until, int? skip, int? take,
        ClaimsPrincipal principal, WebhookService webhooks, DeliveryQueries deliveries, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (await webhooks.FindAsync(user, id, cancellationToken) is null) return ApiProblems.NotFound("The webhook");
        if (!DeliveryFilter.TryCreate(id, status, @event, projectId, since, until, null, out var filter, out var errors) |
            !PageRequest.TryCreate(skip, take, out var page, out var pageErrors))
            return ApiProblems.Validation(errors.Concat(pageErrors).ToDictionary());
        return TypedResults.Ok(await deliveries.ListAsync(user, filter, page, cancellationToken));
    }

    public static async Task<IResult> Delete(string id, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken cancellationToken) =>
        await webhooks.DeleteAsync(CurrentUser.From(principal), id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("The webhook");
}
