using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Tests.Streaming;

public sealed class OutgoingMessagesTests
{
    [Fact]
    public async Task TryEnqueue_PartialsWhileReaderIsSlow_CoalescedFinalsKept()
    {
        using var queue = new OutgoingMessages(capacity: 4);
        Assert.True(queue.TryEnqueue(new StreamMessage("partial", "a", 0, 0, 0.3)));
        Assert.True(queue.TryEnqueue(new StreamMessage("partial", "ab", 0, 0, 0.6)));
        Assert.True(queue.TryEnqueue(new StreamMessage("final", "abc", 0, 0, 1)));
        Assert.True(queue.TryEnqueue(new StreamMessage("partial", "d", 1, 1, 1.3)));
        queue.Complete(StreamMessage.Done);

        var received = new List<string?>();
        while (await queue.DequeueAsync(CancellationToken.None) is { } message)
        {
            received.Add(message.Text ?? message.Type);
        }

        Assert.Equal(["ab", "abc", "d", "done"], received);
    }

    [Fact]
    public void TryEnqueue_FinalsPastCapacity_Refused()
    {
        using var queue = new OutgoingMessages(capacity: 2);

        Assert.True(queue.TryEnqueue(new StreamMessage("final", "a", 0, 0, 1)));
        Assert.True(queue.TryEnqueue(new StreamMessage("final", "b", 1, 1, 2)));
        Assert.False(queue.TryEnqueue(new StreamMessage("final", "c", 2, 2, 3)));
        Assert.Equal(2, queue.Count);
    }
}
