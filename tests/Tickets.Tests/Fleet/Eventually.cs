namespace Tickets.Tests.Fleet;

/// <summary>
/// Retries a check until it holds, for states that arrive in the background (a reconnection, a pub/sub message). The
/// deadline only bounds a broken run; nothing is asserted about how long it took.
/// </summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await attempt();
            if (done(result))
                return result;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"never happened: {what} (last result: {result})");
            await Task.Delay(100);
        }
    }
}
