using System.Text;
using Tickets.Cli;

namespace Tickets.Tests.Cli;

[Trait("Category", TestCategory.Unit)]
public sealed class HttpRequestHeadTests
{
    [Theory]
    [InlineData("GET / HTTP/1.0\r\n\r\n", 18)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody", 27)]
    [InlineData("GET / HTTP/1.0\n\n", 16)]
    [InlineData("GET / HTTP/1.0\r\n", -1)]
    [InlineData("", -1)]
    public void The_end_of_the_head_is_found(string received, int end) =>
        Assert.Equal(end, HttpRequestHead.FindEnd(Encoding.ASCII.GetBytes(received)));

    [Fact]
    public void The_request_line_is_parsed() =>
        Assert.Equal(new HttpRequestHead("GET", "/index", "HTTP/1.1"), HttpRequestHead.Parse("GET /index HTTP/1.1\r\nHost: a\r\n\r\n"u8));

    [Theory]
    [InlineData("GET /\r\n\r\n")]
    [InlineData("GET / HTTP/2.0\r\n\r\n")]
    [InlineData("hello\r\n\r\n")]
    [InlineData("GET  / HTTP/1.0\r\n\r\n")]
    public void Other_requests_are_refused(string head) =>
        Assert.Null(HttpRequestHead.Parse(Encoding.ASCII.GetBytes(head)));
}
