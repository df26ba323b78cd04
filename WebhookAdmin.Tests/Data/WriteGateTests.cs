using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Data;

/// <summary>The write gate lends its connections to the hot-path writers; these pin down what they rely on.</summary>
public sealed class WriteGateTests : IAsyncLifetime
{
    private readonly TestApp _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_commit_through_the_gate_is_seen_by_the_apps_other_connections()
    {
        var gate = _app.Service<WriteGate>();
        using (var lease = await gate.EnterAsync(TestContext.Current.CancellationToken))
        {
            await using var transaction = lease.Connection.BeginTransaction();
            var insert = lease.Command("""INSERT INTO "Companies" ("Id", "Name", "CreatedAt", "UpdatedAt") VALUES (@id, @name, @at, @at)""", transaction, "@id", "@name", "@at");
            await insert.RunAsync(TestContext.Current.CancellationToken, "gate-co", "Gate Co", DateTime.UtcNow);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(await CompanyExistsAsync("gate-co"));
    }

    [Fact]
    public async Task After_a_holder_fails_half_way_and_resets_the_next_holder_starts_on_a_clean_connection()
    {
        var gate = _app.Service<WriteGate>();
        using (var lease = await gate.EnterAsync(TestContext.Current.CancellationToken))
        {
            // A holder that began a transaction, wrote, and then failed without finishing it.
            var abandoned = lease.Connection.BeginTransaction();
            var insert = lease.Command("""INSERT INTO "Companies" ("Id", "Name", "CreatedAt", "UpdatedAt") VALUES (@id, @name, @at, @at)""", abandoned, "@id", "@name", "@at");
            await insert.RunAsync(TestContext.Current.CancellationToken, "half-written", "Half", DateTime.UtcNow);
            lease.Reset();
        }

        using (var next = await gate.EnterAsync(TestContext.Current.CancellationToken))
        {
            // Without the reset this would be a nested transaction on the old connection, and throw.
            await using var transaction = next.Connection.BeginTransaction();
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }
        Assert.False(await CompanyExistsAsync("half-written"));
    }

    [Fact]
    public async Task The_gate_lets_as_many_holders_in_as_the_provider_has_write_connections_each_on_its_own()
    {
        // SQLite: one (a single writer); PostgreSQL: several, since it takes concurrent writers.
        var gate = _app.Service<WriteGate>();
        var holders = new List<WriteGate.WriteLease>();
        for (var i = 0; i < gate.Engine.WriteConnections; i++)
        {
            holders.Add(await gate.EnterAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        }
        Assert.Equal(holders.Count, holders.Select(h => h.Connection).Distinct().Count());

        var next = gate.EnterAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(next.IsCompleted);
        var released = holders[^1].Connection;
        holders[^1].Dispose();
        using var lease = await next.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Same(released, lease.Connection);
        foreach (var holder in holders) holder.Dispose();
    }

    private async Task<bool> CompanyExistsAsync(string id)
    {
        await using var db = await _app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Companies.AnyAsync(c => c.Id == id, TestContext.Current.CancellationToken);
    }
}
