using Vega.Lite.Ingest;

namespace Vega.Lite.Tests.Ingest;

/// <summary>How garbage collection tells a live upload's owner from a dead one.</summary>
public sealed class ProcessIdentityTests
{
    [Fact]
    public void This_process_is_alive()
    {
        Assert.DoesNotContain("unknown", ProcessIdentity.Current);
        Assert.True(ProcessIdentity.IsAlive(ProcessIdentity.Current));
    }

    [Fact]
    public void A_pid_that_no_longer_runs_is_dead()
    {
        var bootId = ProcessIdentity.Current.Split(':')[0];
        Assert.False(ProcessIdentity.IsAlive($"{bootId}:2147483646:12345"));
    }

    [Fact]
    public void A_reused_pid_or_another_boot_is_dead()
    {
        var parts = ProcessIdentity.Current.Split(':');
        Assert.False(ProcessIdentity.IsAlive($"{parts[0]}:{parts[1]}:{long.Parse(parts[2]) + 1}"));
        Assert.False(ProcessIdentity.IsAlive($"00000000-0000-0000-0000-000000000000:{parts[1]}:{parts[2]}"));
    }

    [Fact]
    public void An_owner_that_could_not_describe_itself_counts_as_alive_while_its_pid_runs()
    {
        // A process that could not read /proc when it started names itself "unknown": only its pid can be checked,
        // and a leaked upload beats a deleted live one.
        Assert.True(ProcessIdentity.IsAlive($"unknown:{Environment.ProcessId}:0"));
        Assert.False(ProcessIdentity.IsAlive("unknown:2147483646:0"));
    }

    [Fact]
    public void Only_owners_in_this_boot_and_pid_namespace_are_judged_by_their_pid()
    {
        var view = ProcessIdentity.Current.Split(':')[0];
        var boot = view.Split('+')[0];
        Assert.Contains('+', view);
        Assert.True(ProcessIdentity.SharesProcessView(ProcessIdentity.Current));
        Assert.True(ProcessIdentity.SharesProcessView($"{boot}:1:1"));      // named before namespaces: this boot
        Assert.True(ProcessIdentity.SharesProcessView("unknown:1:0"));
        Assert.False(ProcessIdentity.SharesProcessView($"{boot}+1:1:1"));   // another container on this host
        Assert.False(ProcessIdentity.SharesProcessView($"00000000-0000-0000-0000-000000000000+{view.Split('+')[1]}:1:1"));
    }

    [Fact]
    public void This_process_named_without_its_namespace_is_alive()
    {
        var parts = ProcessIdentity.Current.Split(':');
        Assert.True(ProcessIdentity.IsAlive($"{parts[0].Split('+')[0]}:{parts[1]}:{parts[2]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a:notapid:1")]
    public void A_malformed_owner_is_dead(string owner) => Assert.False(ProcessIdentity.IsAlive(owner));
}
