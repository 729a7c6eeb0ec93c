using Tickets.Core.Protocol;

namespace Tickets.Records;

/// <summary>
/// One received record after protection was removed: its real content type and content. The content
/// lives in the record layer's buffer and is valid only until the next read.
/// </summary>
internal readonly record struct TlsRecord(ContentType Type, ReadOnlyMemory<byte> Content);
