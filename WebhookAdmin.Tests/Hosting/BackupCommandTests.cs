using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// <c>backup --to &lt;file&gt;</c> (contract, section 5) as its own process, against the real app while it serves and a
/// publisher keeps posting events: the copy opens, passes SQLite's integrity check, and holds every event that was
/// accepted (202) before the backup started, with its deliveries.
/// </summary>
// SQLite-only: the backup command copies the SQLite file (on PostgreSQL it refuses and points to pg_dump).
[Trait("Category", "SqliteOnly")]
public sealed class BackupCommandTests : IAsyncLifetime
{
    private const int Webhooks = 3;
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;
    private string _backups = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _world = await DeliveryWorld.StartAsync();
        _backups = Path.Combine(_world.App.DataFolder, "backups");
        Directory.CreateDirectory(_backups);
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_backup_taken_under_load_is_sound_and_holds_every_event_accepted_before_it_started()
    {
        for (var i = 0; i < Webhooks; i++) await _world.CreateWebhookAsync(_receiver.UrlFor($"/hook/{i}"));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var accepted = new ConcurrentQueue<string>();
        var publishers = Enumerable.Range(0, 4).Select(p => PublishUntilAsync(p, accepted, stop.Token)).ToArray();
        await Eventually.ReturnsAsync(() => Task.FromResult(accepted.Count), n => n >= 200, "the publishers to get 200 events accepted");

        var before = accepted.ToHashSet();
        var target = Path.Combine(_backups, "webhookadmin.db");
        var backup = await RunBackupAsync("--to", target);
        var during = accepted.Count - before.Count;
        await stop.CancelAsync();
        await Task.WhenAll(publishers);

        Assert.True(backup.Exit == 0, $"exit {backup.Exit}: {backup.Error}");
        Assert.Contains("integrity ok", backup.Output);
        Assert.True(during > 0, "the publishers kept getting events accepted while the backup ran");
        Assert.False(File.Exists(target + "-wal"), "the copy is one self-contained file");
        Assert.Empty(Directory.GetFiles(_backups, "*.partial"));

        await using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["ok"], await ColumnAsync(copy, "PRAGMA integrity_check"));
        var events = (await ColumnAsync(copy, """SELECT "Id" FROM "Events" """)).ToHashSet();
        Assert.DoesNotContain(before, id => !events.Contains(id));
        var deliveries = await ColumnAsync(copy, """SELECT "EventId" FROM "Deliveries" """);
        Assert.All(before, id => Assert.Equal(Webhooks, deliveries.Count(d => d == id)));
    }

    [Fact]
    public async Task A_backup_that_cannot_be_made_says_why_and_exits_non_zero()
    {
        var noFolder = await RunBackupAsync("--to", Path.Combine(_backups, "missing", "copy.db"));
        Assert.Equal(1, noFolder.Exit);
        Assert.Contains("does not exist", noFolder.Error);

        var notSqlite = Path.Combine(_backups, "notes.txt");
        await File.WriteAllTextAsync(notSqlite, "not a database, just notes", TestContext.Current.CancellationToken);
        var wrongFile = await CliCommand.RunAsync(_backups, new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={notSqlite}" },
            "backup", "--to", Path.Combine(_backups, "copy.db"));
        Assert.Equal(1, wrongFile.Exit);
        Assert.Contains("is not a SQLite database", wrongFile.Error);
        Assert.False(File.Exists(Path.Combine(_backups, "copy.db")));

        var usage = await RunBackupAsync();
        Assert.Equal(2, usage.Exit);
        Assert.Contains("Usage: backup --to <file>", usage.Error);
    }

    private Task<CliCommand.Outcome> RunBackupAsync(params string[] arguments) =>
        CliCommand.RunAsync(_backups, new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={_world.App.DatabasePath}" },
            ["backup", .. arguments]);

    /// <summary>Publishes one event after another with its own ids; each id that got a 202 is recorded after the answer.</summary>
    private async Task PublishUntilAsync(int publisher, ConcurrentQueue<string> accepted, CancellationToken stop)
    {
        using var client = _world.App.Api();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"evt_backup_{publisher}_{n}";
            try
            {
                using var response = await client.PostAsync("/api/v1/events", System.Net.Http.Json.JsonContent.Create(
                    new { id, @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId, currentValue = new { id = $"todo_{n}" } }), stop);
                if (response.StatusCode == HttpStatusCode.Accepted) accepted.Enqueue(id);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) values.Add(reader.GetString(0));
        return values;
    }
}
