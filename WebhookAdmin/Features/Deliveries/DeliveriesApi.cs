using System.Security.Claims;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Features.Deliveries;

public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/deliveries").WithTags("Deliveries").RequireAuthorization(ApiPolicies.Webhooks);
        group.MapGet("/", List).WithSummary("Every delivery the caller may see, newest first, filtered")
            .Produces<Paged<DeliveryResponse>>();
        group.MapGet("/{id:long}", Get).WithSummary("One delivery with its payload and attempt log")
            .Produces<DeliveryDetailResponse>();
        group.MapPost("/{id:long}/resend", Resend).WithSummary("One manual attempt now, whatever the status")
            .Produces(StatusCodes.Status202Accepted);
        return api;
    }

    public static async Task<IResult> List(
        string? webhookId, string? status, string? @event, string? projectId, DateTimeOffset? since, DateTimeOffset? until,
        string? eventId, int? skip, int? take, ClaimsPrincipal principal, DeliveryQueries deliveries, CancellationToken cancellationToken)
    {
        if (!DeliveryFilter.TryCreate(webhookId, status, @event, projectId, since, until, eventId, out var filter, out var errors) |
            !PageRequest.TryCreate(skip, take, out var page, out var pageErrors))
            return ApiProblems.Validation(errors.Concat(pageErrors).ToDictionary());
        return TypedResults.Ok(await deliveries.ListAsync(CurrentUser.From(principal), filter, page, cancellationToken));
    }

    public static async Task<IResult> Get(long id, ClaimsPrincipal principal, DeliveryQueries deliveries, CancellationToken cancellationToken) =>
        await deliveries.GetAsync(CurrentUser.From(principal), id, cancellationToken) is { } delivery
            ? TypedResults.Ok(delivery)
            : ApiProblems.NotFound("The delivery");

    public static async Task<IResult> Resend(long id, ClaimsPrincipal principal, DeliveryResend resend, CancellationToken cancellationToken) =>
        await resend.ResendAsync(CurrentUser.From(principal), id, cancellationToken) switch
        {
            ResendOutcome.Started => TypedResults.Accepted($"/api/v1/deliveries/{id}"),
            ResendOutcome.NotFound => ApiProblems.NotFound("The delivery"),
            ResendOutcome.WebhookDeleted => ApiProblems.Conflict("The webhook of this delivery was deleted, so it cannot be resent."),
            _ => ApiProblems.Conflict("An attempt of this delivery is in flight right now; try again in a few seconds."),
        };
}
