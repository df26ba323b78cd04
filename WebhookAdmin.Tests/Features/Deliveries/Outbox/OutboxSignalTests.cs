using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>The wake-up of the drain job: a wake that could not be delivered must not silence the later ones.</summary>
public sealed class OutboxSignalTests : IAsyncLifetime
{
    private StandaloneSchedulerFactory _factory = null!;
    private IScheduler _scheduler = null!;

    public async ValueTask InitializeAsync()
    {
        _factory = QuartzSchedulerBuilder.Create(quartz =>
            quartz.AddJob<CountingJob>(job => job.WithIdentity(OutboxSignal.JobKey).StoreDurably())).Build();
        _scheduler = await _factory.GetScheduler();
        await _scheduler.Start();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_wake_that_failed_to_reach_the_scheduler_does_not_swallow_the_next_one()
    {
        var schedulers = new FailingOnce(_scheduler);
        var signal = new OutboxSignal(schedulers, NullLogger<OutboxSignal>.Instance);

        signal.Wake();
        await Eventually.ReturnsAsync(() => Task.FromResult(schedulers.Calls), calls => calls >= 1, "the first wake to reach the factory");
        signal.Wake();

        await Eventually.ReturnsAsync(() => Task.FromResult(CountingJob.Runs), runs => runs == 1, "the drain job to run after the second wake");
    }

    /// <summary>A scheduler factory whose first answer is a failure, as a scheduler that is still starting gives.</summary>
    private sealed class FailingOnce(IScheduler scheduler) : ISchedulerFactory
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<IScheduler> GetScheduler(CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? ValueTask.FromException<IScheduler>(new SchedulerException("not started yet"))
                : ValueTask.FromResult(scheduler);

        public ValueTask<IScheduler?> LookupScheduler(string schedName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IScheduler?>(scheduler);

        public ValueTask<List<IScheduler>> GetAllSchedulers(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<List<IScheduler>>([scheduler]);
    }

    private sealed class CountingJob : IJob
    {
        private static int _runs;

        public static int Runs => Volatile.Read(ref _runs);

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            return ValueTask.CompletedTask;
        }
    }
}
