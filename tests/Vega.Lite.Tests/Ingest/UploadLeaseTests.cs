using Vega.Lite.Ingest;
using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Ingest;

public sealed class UploadLeaseTests
{
    /// <summary>
    /// A lease's keys are found again by recomputing them, possibly by a later version of the server, so they must not
    /// change: the first 16 bytes of SHA-256("0123456789abcdef0123456789abcdef:7") as a UUID (computed apart, in Python).
    /// </summary>
    [Fact]
    public void A_key_is_the_uuid_of_the_hash_of_the_lease_and_the_counter()
    {
        var lease = new UploadLease("0123456789abcdef0123456789abcdef");
        Assert.Equal("d89af9b4-28a9-1369-fdc7-70b777efee24.chunk", lease.KeyFor(7));
    }

    [Fact]
    public void Keys_are_valid_blob_keys_and_distinct_per_counter_and_lease()
    {
        var first = UploadLease.New();
        var second = UploadLease.New();
        var keys = new[] { first.KeyFor(0), first.KeyFor(1), first.KeyFor(int.MaxValue), second.KeyFor(0) };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(keys, key => Assert.Equal(key, BlobKey.Validated(key)));
    }
}
