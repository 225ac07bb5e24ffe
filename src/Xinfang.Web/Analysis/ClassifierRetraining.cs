using System.Threading.Channels;

namespace Xinfang.Web.Analysis;

/// <summary>
/// Retrains the category model in the background when clerks correct categories. Corrections come in bursts;
/// each asks for a retraining, and the training runs once the requests have been quiet for
/// <c>Text:RetrainDebounceSeconds</c> (default 60), so a burst costs one training. Runs on every node that gets
/// corrections; a second node's training simply stores the next version.
/// </summary>
public sealed class ClassifierRetraining(IServiceScopeFactory scopes, IConfiguration config, ILogger<ClassifierRetraining> log) : BackgroundService
{
    readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a retraining (cheap; never blocks).</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _requests.Reader.WaitToReadAsync(stoppingToken))
            {
                _requests.Reader.TryRead(out _);
                var quiet = TimeSpan.FromSeconds(config.GetValue("Text:RetrainDebounceSeconds", 60.0));
                // Debounce: wait until no new request arrived for the quiet period.
                do await Task.Delay(quiet, stoppingToken);
                while (_requests.Reader.TryRead(out _));
                await TrainAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task TrainAsync(CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<TrainClassifier>().FromStoreAsync(ct);
            log.LogInformation("Category model retrained after corrections: {Result}", TrainClassifier.Describe(result));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Retraining the category model failed; the previous model stays in use.");
        }
    }
}
