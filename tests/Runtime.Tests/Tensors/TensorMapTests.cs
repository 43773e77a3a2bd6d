using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Tests.Tensors;

public class TensorMapTests
{
    [Fact]
    public void Constructor_KeepsOrderAndLooksUpByName()
    {
        var map = new TensorMap([NamedTensor.FromFloat32("b", [1], [1f]), NamedTensor.FromFloat32("a", [1], [2f])]);
        Assert.Equal(["b", "a"], map.Names);
        Assert.Equal(2f, map["a"].ToFloat32()[0]);
        Assert.False(map.TryGetValue("c", out _));
    }

    [Fact]
    public void Constructor_DuplicateName_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => new TensorMap([NamedTensor.FromFloat32("a", [1], [1f]), NamedTensor.FromFloat32("a", [1], [2f])]));
    }

    [Fact]
    public void Indexer_UnknownName_ThrowsKeyNotFound()
    {
        Assert.Throws<KeyNotFoundException>(() => TensorMap.Empty["x"]);
    }
}
