using Tickets.Traffic;

namespace Tickets.Tests.Traffic;

/// <summary>Application data received before anyone read it comes out in order, one record's worth per read.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class UnreadDataTests
{
    [Fact]
    public void Chunks_come_out_in_order_and_a_read_never_crosses_into_the_next()
    {
        var unread = new UnreadData();
        unread.Append("hello"u8);
        unread.Append("world"u8);
        var buffer = new byte[8];

        Assert.Equal(3, unread.Read(buffer.AsSpan(0, 3)));
        Assert.Equal("hel"u8.ToArray(), buffer[..3]);
        Assert.Equal(7, unread.Bytes);
        Assert.Equal(2, unread.Read(buffer));
        Assert.Equal("lo"u8.ToArray(), buffer[..2]);
        Assert.Equal(5, unread.Read(buffer));
        Assert.Equal("world"u8.ToArray(), buffer[..5]);
        Assert.True(unread.IsEmpty);
        Assert.Equal(0, unread.Read(buffer));
    }

    [Fact]
    public void Read_ahead_stops_at_one_mebibyte()
    {
        var unread = new UnreadData();
        var record = new byte[16 * 1024];
        for (var i = 0; i < UnreadData.MaxReadAhead / record.Length - 1; i++)
        {
            unread.Append(record);
        }

        Assert.False(unread.IsFull);
        unread.Append(record);
        Assert.True(unread.IsFull);
        unread.Clear();
        Assert.True(unread.IsEmpty);
        Assert.Equal(0, unread.Bytes);
    }
}
