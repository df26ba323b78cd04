using Npgsql;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// The helper itself, on the server of the PostgreSQL pass. ON SQLITE THESE RETURN AT ONCE (they pass without
/// checking anything): they need <see cref="PostgresTestDatabase.ServerVariable"/>, which only <c>.ci/test</c>'s
/// second pass sets. They never start the app.
/// </summary>
public sealed class PostgresTestDatabaseTests
{
    [Fact]
    public async Task On_postgres_a_test_database_is_created_empty_and_dropped_even_with_connections_left_open()
    {
        if (!TestDatabase.OnPostgres) return;

        var database = PostgresTestDatabase.Create();
        Assert.Matches("^wha_[0-9a-f]{32}$", database.Name);
        Assert.True(await PostgresTestDatabase.ExistsAsync(database.Name));

        // One connection idle in the pool (as the app leaves them) and one a test forgot to close.
        await using (var pooled = new NpgsqlConnection(database.ConnectionString))
        {
            await pooled.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("SELECT current_database()", pooled);
            Assert.Equal(database.Name, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
        var forgotten = database.Connection();
        await forgotten.OpenAsync(TestContext.Current.CancellationToken);

        await database.DisposeAsync();
        await database.DisposeAsync();

        Assert.False(await PostgresTestDatabase.ExistsAsync(database.Name));
        await forgotten.DisposeAsync();
    }

    [Fact]
    public async Task On_postgres_a_test_app_is_pointed_at_a_database_of_its_own_that_goes_with_it()
    {
        if (!TestDatabase.OnPostgres) return;

        string name;
        await using (var app = new TestApp())
        {
            var postgres = Assert.IsType<PostgresTestDatabase>(app.Database.Postgres);
            name = postgres.Name;
            Assert.Equal("Postgres", app.Database.Settings["Database:Provider"]);
            Assert.Equal(postgres.ConnectionString, app.Database.Settings["ConnectionStrings:Default"]);
            Assert.Equal(name, new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Database);
            Assert.Equal("Postgres", app.Database.Environment["Database__Provider"]);
            Assert.Throws<InvalidOperationException>(() => app.DatabasePath);
            Assert.True(await PostgresTestDatabase.ExistsAsync(name));
        }
        Assert.False(await PostgresTestDatabase.ExistsAsync(name));
    }
}
