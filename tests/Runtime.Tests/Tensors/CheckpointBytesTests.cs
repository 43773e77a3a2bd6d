using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Tests.Tensors;

public class CheckpointBytesTests
{
    [Fact]
    public void ReadStream_SeekableOverCap_ThrowsBeforeReading()
    {
        using var stream = new MemoryStream(new byte[100]);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointBytes.ReadStream(stream, 99));
        Assert.Equal(CheckpointFormatRules.FileSize, ex.Rule);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void ReadStream_NonSeekableOverCap_Throws()
    {
        using var stream = new ForwardOnlyStream(new byte[200_000]);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointBytes.ReadStream(stream, 100_000));
        Assert.Equal(CheckpointFormatRules.FileSize, ex.Rule);
    }

    [Fact]
    public void ReadStream_NonSeekableWithinCap_ReadsAll()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        using var stream = new ForwardOnlyStream(data);
        Assert.Equal(data, CheckpointBytes.ReadStream(stream, data.Length));
    }

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
