using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>Instances starting together on an empty database all come up (contract, section 7; ADR-020's advisory lock).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterStartTests
{
    [Fact]
    public async Task Three_instances_started_at_the_same_moment_on_a_database_that_does_not_exist_yet_all_serve_the_api()
    {
        ClusterCollection.RequirePostgres();
        var database = TestDatabase.PostgresNotCreated();
        Assert.False(await PostgresTestDatabase.ExistsAsync(database.Postgres!.Name));

        await using var cluster = await AppCluster.StartAsync(together: true, database: database);

        // All three answered /readyz; one administrator, whoever won; each instance writes and reads through the API.
        Assert.Equal(1, await cluster.CountAsync("""SELECT count(*) FROM "AspNetUsers" """));
        await cluster["A"].Api.CompanyAsync("acme", "Acme");
        foreach (var instance in cluster.Instances)
        {
            await instance.Api.ProjectAsync($"p-{instance.Name}", "acme");
            var created = await instance.Api.PostOk("/api/v1/webhooks", new { url = $"http://127.0.0.1:9/{instance.Name}" }, HttpStatusCode.Created);
            Assert.Equal("HEALTHY", created.Str("status"));
        }
        foreach (var instance in cluster.Instances)
        {
            var projects = (await instance.Api.GetOk("/api/v1/companies")).EnumerateArray().Single().GetProperty("projects");
            Assert.Equal(3, projects.GetArrayLength());
            Assert.Equal(3, (await instance.Api.GetOk("/api/v1/webhooks")).GetProperty("pageInfo").GetProperty("totalItems").GetInt32());
        }
    }
}
