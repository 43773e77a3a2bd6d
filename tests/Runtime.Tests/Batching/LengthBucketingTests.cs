using SpeechServe.Runtime.Batching;

namespace SpeechServe.Runtime.Tests.Batching;

public sealed class LengthBucketingTests
{
    [Fact]
    public void Take_AllFit_TakesThemInOrder()
    {
        List<int> queue = [30, 10, 20];
        var batch = new List<int>();

        LengthBucketing.Take(queue, 4, x => x, batch);

        Assert.Equal([30, 10, 20], batch);
        Assert.Empty(queue);
    }

    [Fact]
    public void Take_MoreThanFit_TakesTheOldestAndTheNearestInLengthKeepingOrder()
    {
        List<int> queue = [50, 400, 10, 55, 390, 45];
        var batch = new List<int>();

        LengthBucketing.Take(queue, 3, x => x, batch);

        Assert.Equal([50, 55, 45], batch);
        Assert.Equal([400, 10, 390], queue);
    }

    [Fact]
    public void Take_EqualDistances_PrefersTheOlder()
    {
        List<int> queue = [50, 60, 40, 60];
        var batch = new List<int>();

        LengthBucketing.Take(queue, 2, x => x, batch);

        Assert.Equal([50, 60], batch);
        Assert.Equal([40, 60], queue);
    }

    [Fact]
    public void Take_NoLengths_TakesTheOldest()
    {
        List<int> queue = [50, 400, 10, 55];
        var batch = new List<int>();

        LengthBucketing.Take(queue, 2, null, batch);

        Assert.Equal([50, 400], batch);
        Assert.Equal([10, 55], queue);
    }
}
