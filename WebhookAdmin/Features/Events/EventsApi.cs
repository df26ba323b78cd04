using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WebhookAdmin.Hosting.Api;
using WebhookAdmin.Hosting.Limits;

namespace WebhookAdmin.Features.Events;

public static class EventsApi
{
    public const int MaxBatch = 1000;
    public const long MaxEventBody = 1024 * 1024;
    public const long MaxBatchBody = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/event-types", ListEventTypes)
            .WithTags("Event types")
            .WithSummary("The subscribable event types, grouped as Blue groups them")
            .RequireAuthorization(ApiPolicies.AnyToken);

        var events = api.MapGroup("/events").WithTags("Events").RequireAuthorization(ApiPolicies.EventsPublish)
            .RequireRateLimiting(IngestionLimitPolicy.Name);
        events.MapPost("/", Publish)
            .WithSummary("Publish one event; it and its deliveries are stored before the 202")
            .WithMetadata(new RequestSizeLimitAttribute(MaxEventBody));
        events.MapPost("/batch", PublishBatch)
            .WithSummary($"Publish up to {MaxBatch} events in one transaction")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBody));
        return api;
    }

    public static Ok<EventTypeResponse[]> ListEventTypes() =>
        TypedResults.Ok(EventCatalog.Subscribable.Select(e => new EventTypeResponse(e.Name, e.Group, e.Description)).ToArray());

    public static async Task<Results<Accepted<PublishEventResponse>, Ok<PublishEventResponse>, ProblemHttpResult>> Publish(
        PublishEventRequest? request, IngestionService ingestion, CancellationToken cancellationToken)
    {
        if (request is null) return ApiProblems.Validation("body", "Send the event as a JSON object.");
        var result = await ingestion.PublishAsync([request], batch: false, cancellationToken);
        switch (result)
        {
            case IngestionResult.Accepted { Events: [var only] }:
                var response = new PublishEventResponse(only.Id, only.Deliveries);
                return only.IsNew ? TypedResults.Accepted($"/api/v1/events/{only.Id}", response) : TypedResults.Ok(response);
            default:
                return Problem(result);
        }
    }

    public static async Task<Results<Accepted<PublishBatchResponse>, Ok<PublishBatchResponse>, ProblemHttpResult>> PublishBatch(
        PublishEventRequest[]? requests, IngestionService ingestion, CancellationToken cancellationToken)
    {
        if (requests is null) return ApiProblems.Validation("body", "Send a JSON array of events.");
        if (requests.Length == 0) return ApiProblems.Validation("body", "The batch is empty.");
        if (requests.Length > MaxBatch) return ApiProblems.Validation("body", $"A batch holds at most {MaxBatch} events; this one has {requests.Length}.");

        // A null entry never gets here: ContractNulls answers it, as the element type says none can be null.
        var result = await ingestion.PublishAsync(requests, batch: true, cancellationToken);
        if (result is not IngestionResult.Accepted accepted) return Problem(result);

        var fresh = accepted.Events.Where(e => e.IsNew).ToList();
        var response = new PublishBatchResponse(fresh.Count, fresh.Sum(e => e.Deliveries), accepted.Events.Count - fresh.Count);
        return fresh.Count > 0 ? TypedResults.Accepted("/api/v1/events", response) : TypedResults.Ok(response);
    }

    private static ProblemHttpResult Problem(IngestionResult result) => result switch
    {
        IngestionResult.Invalid invalid => ApiProblems.Validation(invalid.Errors),
        IngestionResult.UnknownProject unknown => ApiProblems.Unprocessable(unknown.Field,
            $"No project has the id '{unknown.ProjectId}'. Create it first with PUT /api/v1/projects/{{projectId}}."),
        _ => throw new InvalidOperationException($"Unexpected ingestion result {result}."),
    };
}
