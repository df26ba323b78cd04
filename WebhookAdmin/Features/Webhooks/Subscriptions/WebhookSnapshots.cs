using WebhookAdmin.Features.Deliveries.Sending;

namespace WebhookAdmin.Features.Webhooks.Subscriptions;

/// <summary>
/// The delivery engine's view of webhooks, from the <see cref="SubscriptionIndex"/>, secrets decrypted.
/// Decryption is cached by ciphertext (a rotation makes a new one) and the cache keeps only what the current
/// index still holds, so rotations and deletions do not grow it for ever.
/// </summary>
public sealed class WebhookSnapshots(SubscriptionIndex subscriptions, WebhookSecrets secrets, TimeProvider time) : IWebhookSnapshots
{
    private readonly Lock _lock = new();
    private SubscriptionIndex.Snapshot? _trimmedFor;
    private Dictionary<string, string> _plain = new(StringComparer.Ordinal);

    public async ValueTask<WebhookSnapshot?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        var index = await subscriptions.CurrentAsync(cancellationToken);
        if (!index.Webhooks.TryGetValue(webhookId, out var w)) return null;

        List<string> keys = [Decrypt(index, w.ProtectedSecret)];
        if (w.ProtectedPreviousSecret is not null && w.PreviousSecretExpiresAt > time.GetUtcNow().UtcDateTime)
            keys.Add(Decrypt(index, w.ProtectedPreviousSecret));
        return new WebhookSnapshot(w.Id, w.Uid, w.Url, w.Enabled, w.Status, w.Events, w.ProjectIds, keys, w.Revision);
    }

    private string Decrypt(SubscriptionIndex.Snapshot index, string ciphertext)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_trimmedFor, index)) Trim(index);
            if (_plain.TryGetValue(ciphertext, out var plain)) return plain;
        }
        var decrypted = secrets.Unprotect(ciphertext);
        lock (_lock) _plain[ciphertext] = decrypted;
        return decrypted;
    }

    /// <summary>Keeps the secrets of webhooks the new index still has; a reload happens on every change, so this stays small.</summary>
    private void Trim(SubscriptionIndex.Snapshot index)
    {
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in index.Webhooks.Values)
        {
            if (_plain.TryGetValue(w.ProtectedSecret, out var current)) live[w.ProtectedSecret] = current;
            if (w.ProtectedPreviousSecret is { } previous && _plain.TryGetValue(previous, out var old)) live[previous] = old;
        }
        _plain = live;
        _trimmedFor = index;
    }

    /// <summary>How many decrypted secrets are kept (for the test that the cache is trimmed).</summary>
    internal int CachedSecrets
    {
        get { lock (_lock) return _plain.Count; }
    }
}
