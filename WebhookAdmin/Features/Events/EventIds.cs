using System.Buffers;

namespace WebhookAdmin.Features.Events;

/// <summary>Event ids: the publisher's own (idempotency key), or <c>evt_</c> + a time-ordered GUID.</summary>
public static class EventIds
{
    public const int MaxLength = 100;
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:");

    public static string New() => "evt_" + Guid.CreateVersion7().ToString("N");

    /// <summary>Ids travel in the <c>webhook-id</c> header and into signatures, so they stay plain ASCII.</summary>
    public static string? Problem(string id) =>
        id.Length == 0 ? "The id must not be empty."
        : id.Length > MaxLength ? $"The id must be at most {MaxLength} characters."
        : id.AsSpan().IndexOfAnyExcept(Allowed) >= 0 ? "The id may contain only letters, digits and _ - . :"
        : null;
}
