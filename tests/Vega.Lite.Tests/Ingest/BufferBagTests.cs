using Vega.Lite.Ingest;

namespace Vega.Lite.Tests.Ingest;

public sealed class BufferBagTests
{
    [Fact]
    public void Buffers_are_of_its_size_reused_and_one_of_another_size_is_not_kept()
    {
        var bag = new BufferBag(size: 1000, keep: 1);
        var first = bag.Rent();
        Assert.Equal(1000, first.Length);
        bag.Return(first);
        Assert.Same(first, bag.Rent());
        bag.Return(new byte[999]);
        Assert.Equal(1000, bag.Rent().Length);
    }
}
