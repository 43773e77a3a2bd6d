using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Checkpoints;

public class TorchSharpCheckpointRejectionTests
{
    /// <summary>Case name, file bytes, the rule expected to fail, a substring the message must contain.</summary>
    public static TheoryData<string, byte[], string, string> BadFiles => new()
    {
        { "empty file", [], CheckpointFormatRules.Varint, "varint: the entry count at byte 0 is a truncated varint" },
        { "count varint cut short", [0x80], CheckpointFormatRules.Varint, "the entry count at byte 0 is a truncated varint" },
        { "count varint of 11 bytes", [.. Enumerable.Repeat((byte)0xFF, 10), 0x01], CheckpointFormatRules.Varint, "the entry count at byte 0 is a varint longer than 64 bits" },
        { "count of 2^63", [.. Enumerable.Repeat((byte)0x80, 9), 0x01], CheckpointFormatRules.Varint, "is 9223372036854775808, beyond the signed 64-bit range" },
        { "count the file cannot hold", new TorchSharpBytes().Varint(1_000_000).Name("w").Header(6, 1).Zeros(4).ToArray(), CheckpointFormatRules.EntryCount, "declares 1000000 entries but its remaining 9 bytes can hold at most 2" },
        { "fewer entries than declared", new TorchSharpBytes().Varint(2).Name("w").Header(6, 1).Zeros(4).ToArray(), CheckpointFormatRules.Varint, "the name length of entry 1 (after 'w') at byte 10 is a truncated varint" },
        { "name length past the end", new TorchSharpBytes().Varint(1).Varint(1000).Raw("abc"u8.ToArray()).ToArray(), CheckpointFormatRules.Truncated, "entry 0: the name length 1000 runs past the end of the file (3 bytes left)" },
        { "name length over the cap", new TorchSharpBytes().Varint(1).Varint(1 << 20).Zeros(8).ToArray(), CheckpointFormatRules.Name, "entry 0: the name length 1048576 exceeds the limit of 65536 bytes" },
        { "empty name", new TorchSharpBytes().Varint(1).Varint(0).Header(6, 1).Zeros(4).ToArray(), CheckpointFormatRules.Name, "entry 0: the name is empty" },
        { "invalid UTF-8 name", new TorchSharpBytes().Varint(1).Varint(2).Raw(0xC3, 0x28).Header(6, 1).Zeros(4).ToArray(), CheckpointFormatRules.Name, "entry 0: the name at byte 2 is not valid UTF-8" },
        { "unknown dtype code", new TorchSharpBytes().Varint(1).Name("w").Header(9, 1).Zeros(8).ToArray(), CheckpointFormatRules.DType, "tensor 'w': dtype: unknown dtype code 9" },
        { "dtype varint cut short", new TorchSharpBytes().Varint(1).Name("weight").Raw(0x86).ToArray(), CheckpointFormatRules.Varint, "tensor 'weight': varint: the dtype code at byte 8 is a truncated varint" },
        { "rank 9", new TorchSharpBytes().Varint(1).Name("w").Header(0, 1, 1, 1, 1, 1, 1, 1, 1, 1).Zeros(1).ToArray(), CheckpointFormatRules.Shape, "tensor 'w': shape: rank 9 exceeds the limit of 8" },
        { "absurd rank", new TorchSharpBytes().Varint(1).Name("w").Varint(6).Varint(1UL << 40).ToArray(), CheckpointFormatRules.Shape, "tensor 'w': shape: rank 1099511627776 exceeds the limit of 8" },
        { "dimension over the cap", new TorchSharpBytes().Varint(1).Name("w").Header(0, 1L << 33).ToArray(), CheckpointFormatRules.Shape, "tensor 'w': shape: dimension 0 is 8589934592, over the limit of 2147483647" },
        { "byte size overflows", new TorchSharpBytes().Varint(1).Name("w").Header(7, int.MaxValue, int.MaxValue, int.MaxValue).ToArray(), CheckpointFormatRules.Shape, "tensor 'w': shape: the byte size of Float64 [2147483647,2147483647,2147483647] overflows" },
        { "dimension varint cut short", new TorchSharpBytes().Varint(1).Name("w").Varint(6).Varint(2).Varint(3).Raw(0xFF).ToArray(), CheckpointFormatRules.Varint, "tensor 'w': varint: the dimension 1 at byte 6 is a truncated varint" },
        { "data past the end", new TorchSharpBytes().Varint(1).Name("w").Header(6, 192, 192).Zeros(100).ToArray(), CheckpointFormatRules.Truncated, "tensor 'w': truncated: Float32 [192,192] needs 147456 bytes of data but only 100 remain" },
        { "data one byte short", new TorchSharpBytes().Varint(1).Name("w").Header(6, 2).Zeros(7).ToArray(), CheckpointFormatRules.Truncated, "tensor 'w': truncated: Float32 [2] needs 8 bytes of data but only 7 remain" },
        { "trailing garbage", new TorchSharpBytes().Varint(1).Name("w").Header(6, 2).Zeros(8).Raw(0xDE, 0xAD).ToArray(), CheckpointFormatRules.TrailingBytes, "tensor 'w': trailing-bytes: 2 bytes follow the last of the 1 declared entries" },
        { "zero entries then garbage", new TorchSharpBytes().Varint(0).Raw(0x01).ToArray(), CheckpointFormatRules.TrailingBytes, "trailing-bytes: 1 bytes follow the last of the 0 declared entries" },
        { "duplicate names", new TorchSharpBytes().Varint(2).Name("w").Header(0, 1).Zeros(1).Name("w").Header(0, 1).Zeros(1).ToArray(), CheckpointFormatRules.DuplicateName, "tensor 'w': duplicate-name: entries 0 and 1 share the name" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_FailsNamingTensorAndRule(string scenario, byte[] file, string rule, string expectedMessage)
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => TorchSharpCheckpointReader.Read(file));

        Assert.True(ex.Rule == rule, $"{scenario}: rule {ex.Rule}, expected {rule} ({ex.Message})");
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RankOverCustomLimit_Fails()
    {
        var bytes = new TorchSharpBytes().Varint(1).Name("w").Header(0, 1, 1, 1).Zeros(1).ToArray();
        var ex = Assert.Throws<CheckpointFormatException>(
            () => TorchSharpCheckpointReader.Read(bytes, new CheckpointReadOptions { MaxRank = 2 }));
        Assert.Contains("rank 3 exceeds the limit of 2", ex.Message, StringComparison.Ordinal);
    }
}
