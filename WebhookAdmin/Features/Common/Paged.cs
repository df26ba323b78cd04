namespace WebhookAdmin.Features.Common;

/// <summary>The contract's paged list: <c>{ items, pageInfo }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, PageInfo PageInfo);

public sealed record PageInfo(int TotalItems, int Page, int PerPage, bool HasNextPage, bool HasPreviousPage)
{
    // skip + take in long: a skip near int.MaxValue wrapped to a negative sum and claimed a next page past the end.
    public static PageInfo For(int totalItems, PageRequest page) => new(
        totalItems,
        page.Skip / page.Take + 1,
        page.Take,
        (long)page.Skip + page.Take < totalItems,
        page.Skip > 0);
}

/// <summary><c>skip</c> (default 0) and <c>take</c> (default 20, at most 200), checked.</summary>
public readonly record struct PageRequest(int Skip, int Take)
{
    public const int DefaultTake = 20;
    public const int MaxTake = 200;

    public static PageRequest Default => new(0, DefaultTake);

    public static bool TryCreate(int? skip, int? take, out PageRequest page, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (skip < 0) errors["skip"] = ["skip must be 0 or more."];
        if (take is < 1 or > MaxTake) errors["take"] = [$"take must be between 1 and {MaxTake}."];
        page = new PageRequest(skip ?? 0, take ?? DefaultTake);
        return errors.Count == 0;
    }
}
