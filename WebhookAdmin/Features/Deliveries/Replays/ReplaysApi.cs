using System.Security.Claims;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Features.Deliveries.Replays;

public static class ReplaysApi
{
    public static IEndpointRouteBuilder MapReplaysApi(this IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Replays").RequireAuthorization(ApiPolicies.Webhooks);
        webhooks.MapPost("/{id}/replay", Replay)
            .WithSummary("Send a webhook's deliveries again by status, time range, event and project; dryRun only counts them")
            .Produces<ReplayCountResponse>()
            .Produces<ReplayStartedResponse>(StatusCodes.Status202Accepted);
        webhooks.MapGet("/{id}/replays", List).WithSummary("The webhook's replays, newest first").Produces<Paged<ReplayResponse>>();

        var replays = api.MapGroup("/replays").WithTags("Replays").RequireAuthorization(ApiPolicies.Webhooks);
        replays.MapGet("/{id}", Get).WithSummary("One replay and its progress").Produces<ReplayResponse>();
        replays.MapPost("/{id}/cancel", Cancel).WithSummary("Stop a replay: nothing more is handed to the outbox").Produces<ReplayResponse>();
        return api;
    }

    public static async Task<IResult> Replay(string id, ReplayRequest? request, ClaimsPrincipal principal, ReplayService replays, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send the criteria as a JSON object: status, since, until, dryRun.");
        var valid = ReplayCriteria.TryCreate(request.Status, request.Since, request.Until, request.Event, request.ProjectId, out var criteria, out var errors);
        if (request.DryRun is null) errors["dryRun"] = ["dryRun is required: true only counts, false sends them again."];
        if (!valid || errors.Count > 0) return ApiProblems.Validation(errors);
        var user = CurrentUser.From(principal);
        if (request.DryRun == true)
            return (await replays.CountAsync(user, id, criteria, cancellationToken)).ToHttp(count => TypedResults.Ok(new ReplayCountResponse(count)));
        return (await replays.StartAsync(user, id, criteria, cancellationToken))
            .ToHttp(started => TypedResults.Accepted($"/api/v1/replays/{started.Id}", started));
    }

    public static async Task<IResult> List(string id, int? skip, int? take, ClaimsPrincipal principal, ReplayService replays, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryCreate(skip, take, out var page, out var errors)) return ApiProblems.Validation(errors);
        return (await replays.ListAsync(CurrentUser.From(principal), id, page, cancellationToken)).ToHttp(TypedResults.Ok);
    }

    public static async Task<IResult> Get(string id, ClaimsPrincipal principal, ReplayService replays, CancellationToken cancellationToken) =>
        await replays.GetAsync(CurrentUser.From(principal), id, cancellationToken) is { } replay
            ? TypedResults.Ok(replay)
            : ApiProblems.NotFound("The replay");

    public static async Task<IResult> Cancel(string id, ClaimsPrincipal principal, ReplayService replays, CancellationToken cancellationToken) =>
        (await replays.CancelAsync(CurrentUser.From(principal), id, cancellationToken)).ToHttp(TypedResults.Ok, "The replay");
}
