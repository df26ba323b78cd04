namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// Tests that each run in a world of their own: a <see cref="Receiver"/> and a <see cref="DeliveryWorld"/> sending to
/// it, started before the test and disposed after it. xunit makes a new instance of the class for every test, so
/// the tests of a class share this set-up but never state, and their order does not matter. A class says only how
/// its world differs (<see cref="WorldOptions"/>); with <c>null</c> each test starts its own world (or several, as
/// a restart on the same database does, on one from <see cref="NewDatabase"/>) with <see cref="StartWorldAsync"/>, all
/// sending to the same receiver.
/// </summary>
public abstract class WorldTests(WorldOptions? options) : IAsyncLifetime
{
    private readonly List<TestReceiver> _receivers = [];
    private readonly List<DeliveryWorld> _worlds = [];
    private readonly List<TestDatabase> _databases = [];

    /// <summary>The test's world: the one the class asked for, else the first the test started.</summary>
    protected DeliveryWorld World => _worlds.Count > 0 ? _worlds[0] : throw new InvalidOperationException("This test has not started its world yet.");
    protected TestReceiver Receiver => _receivers[0];
    protected TestApp App => World.App;
    protected HttpClient Admin => World.Admin;

    public virtual async ValueTask InitializeAsync()
    {
        await StartReceiverAsync();
        if (options is not null) await StartWorldAsync(options);
    }

    /// <summary>
    /// A world sending to this test's receiver, disposed with the test (or before, by the test: disposing twice is
    /// harmless).
    /// </summary>
    protected async Task<DeliveryWorld> StartWorldAsync(WorldOptions worldOptions)
    {
        var world = await DeliveryWorld.StartAsync(worldOptions with { Receiver = worldOptions.Receiver ?? Receiver });
        _worlds.Add(world);
        return world;
    }

    /// <summary>
    /// A database that outlives the worlds started on it (<see cref="WorldOptions.Database"/>: a restart on the same
    /// data), disposed with the test after every world.
    /// </summary>
    protected TestDatabase NewDatabase()
    {
        var database = TestDatabase.Create();
        _databases.Add(database);
        return database;
    }

    /// <summary>Another receiver on loopback, disposed with the test.</summary>
    protected async Task<TestReceiver> StartReceiverAsync()
    {
        var receiver = await TestReceiver.StartAsync();
        _receivers.Add(receiver);
        return receiver;
    }

    public virtual async ValueTask DisposeAsync()
    {
        // Receivers before the worlds that send to them: they release hanging requests, so no shutdown waits for
        // one. Then the worlds, the last started first.
        foreach (var receiver in _receivers)
            await receiver.DisposeAsync();
        foreach (var world in Enumerable.Reverse(_worlds))
            await world.DisposeAsync();
        foreach (var database in _databases)
            await database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
