using System.Text;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Tests.Tensors;

public class SafetensorsReaderRejectionTests
{
    private const string F32Pair = """{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""";

    /// <summary>Case name, file bytes, the rule expected to fail, a substring the message must contain.</summary>
    public static TheoryData<string, byte[], string, string> BadFiles => new()
    {
        { "shorter than the length prefix", [1, 2, 3], CheckpointFormatRules.HeaderLength, "3 bytes, shorter than the 8-byte header length" },
        { "zero header length", SafetensorsBytes.WithLength(0, [.. "{}"u8]), CheckpointFormatRules.HeaderLength, "header length is 0" },
        { "header length over the cap", SafetensorsBytes.WithLength(200_000_000, [.. "{}"u8]), CheckpointFormatRules.HeaderLength, "exceeds the limit of 100000000 bytes" },
        { "header length past the end", SafetensorsBytes.WithLength(100, [.. "{}"u8]), CheckpointFormatRules.HeaderLength, "header length 100 runs past the end of the file (2 bytes follow" },
        { "header length of 2^64-1", SafetensorsBytes.WithLength(ulong.MaxValue, [.. "{}"u8]), CheckpointFormatRules.HeaderLength, "header length 18446744073709551615 exceeds the limit" },
        { "header not an object", Build("[1,2]", 0), CheckpointFormatRules.HeaderJson, "must start with '{', found byte 0x5B" },
        { "header with leading space", Build(" {}", 0), CheckpointFormatRules.HeaderJson, "must start with '{'" },
        { "truncated JSON", Build("""{"w":""", 0), CheckpointFormatRules.HeaderJson, "not valid UTF-8 JSON" },
        { "invalid UTF-8 in a name", SafetensorsBytes.Build([.. "{\""u8, 0xFF, 0xFE, .. "\":1}"u8], []), CheckpointFormatRules.HeaderJson, "header-json: the header is not valid UTF-8" },
        { "escaped lone surrogate in a name", Build("""{"\udc00":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""", 1), CheckpointFormatRules.HeaderJson, "invalid string" },
        { "nesting bomb", Build("""{"w":[[[[[[[[1]]]]]]]]}""", 0), CheckpointFormatRules.HeaderJson, "not valid UTF-8 JSON" },
        { "trailing comma", Build("""{"w":1,}""", 0), CheckpointFormatRules.HeaderJson, "not valid UTF-8 JSON" },
        { "entry not an object", Build("""{"w":[1]}""", 0), CheckpointFormatRules.EntryFields, "tensor 'w': entry-fields: the entry is a JSON Array, not an object" },
        { "missing dtype", Build("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.EntryFields, "tensor 'w': entry-fields: missing field 'dtype'" },
        { "missing data_offsets", Build("""{"w":{"dtype":"F32","shape":[2]}}""", 8), CheckpointFormatRules.EntryFields, "tensor 'w': entry-fields: missing field 'data_offsets'" },
        { "unknown entry field", Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"stride":[1]}}""", 8), CheckpointFormatRules.EntryFields, "tensor 'w': entry-fields: unknown field 'stride'" },
        { "field given twice", Build("""{"w":{"dtype":"F32","dtype":"F16","shape":[2],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.EntryFields, "tensor 'w': entry-fields: the field 'dtype' appears more than once" },
        { "unknown dtype", Build("""{"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", 2), CheckpointFormatRules.DType, "tensor 'w': dtype: unknown dtype 'F8_E4M3'" },
        { "lower-case dtype", Build("""{"w":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.DType, "tensor 'w': dtype: unknown dtype 'f32'" },
        { "dtype not a string", Build("""{"w":{"dtype":6,"shape":[2],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.DType, "tensor 'w': dtype: dtype is a JSON Number" },
        { "negative dimension", Build("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0), CheckpointFormatRules.Shape, "tensor 'w': shape: dimension 0 is -1, not a non-negative integer" },
        { "fractional dimension", Build("""{"w":{"dtype":"F32","shape":[2,1.5],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.Shape, "tensor 'w': shape: dimension 1 is 1.5" },
        { "shape not an array", Build("""{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", 8), CheckpointFormatRules.Shape, "tensor 'w': shape: shape is a JSON String" },
        { "rank 9", Build("""{"w":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]}}""", 1), CheckpointFormatRules.Shape, "tensor 'w': shape: rank 9 exceeds the limit of 8" },
        { "dimension over the cap", Build("""{"w":{"dtype":"U8","shape":[4294967296],"data_offsets":[0,1]}}""", 1), CheckpointFormatRules.Shape, "tensor 'w': shape: dimension 0 is 4294967296, over the limit" },
        { "byte size overflows", Build("""{"w":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.Shape, "tensor 'w': shape: the byte size of F64 [2147483647,2147483647,2147483647] overflows" },
        { "one offset", Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8]}}""", 8), CheckpointFormatRules.DataOffsets, "tensor 'w': data-offsets: data_offsets must be [begin, end], found [8]" },
        { "negative offset", Build("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[-4,-4]}}""", 0), CheckpointFormatRules.DataOffsets, "tensor 'w': data-offsets: data_offsets must be two non-negative integers" },
        { "begin after end", Build("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""", 8), CheckpointFormatRules.DataOffsets, "tensor 'w': data-offsets: begin 8 is after end 4" },
        { "end past the buffer", Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4), CheckpointFormatRules.DataOffsets, "tensor 'w': data-offsets: end 8 is past the end of the 4-byte data buffer" },
        { "size does not match shape", Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), CheckpointFormatRules.ByteLength, "tensor 'w': byte-length: F32 [3] needs 12 bytes, data_offsets [0,8] span 8" },
        { "overlapping tensors", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12), CheckpointFormatRules.Layout, "tensor 'b': layout: data_offsets [4,12] overlap tensor 'a' [0,8]" },
        { "aliased tensors", Build("""{"a":""" + F32Pair + ""","b":""" + F32Pair + "}", 8), CheckpointFormatRules.Layout, "tensor 'b': layout: data_offsets [0,8] overlap tensor 'a'" },
        { "gap between tensors", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12), CheckpointFormatRules.Layout, "tensor 'b': layout: data_offsets [8,12] leave a gap of 4 bytes before them" },
        { "first tensor not at 0", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), CheckpointFormatRules.Layout, "tensor 'a': layout: data_offsets [4,8] leave a gap of 4 bytes" },
        { "trailing bytes", Build("""{"w":""" + F32Pair + "}", 9), CheckpointFormatRules.TrailingBytes, "tensor 'w': trailing-bytes: the data buffer is 9 bytes but the tensors cover 8; 1 bytes follow" },
        { "bytes but no tensors", Build("{}", 4), CheckpointFormatRules.TrailingBytes, "trailing-bytes: the data buffer is 4 bytes but the tensors cover 0" },
        { "duplicate tensor name", Build("""{"w":""" + F32Pair + ""","w":""" + F32Pair + "}", 8), CheckpointFormatRules.DuplicateName, "tensor 'w': duplicate-name: the name appears more than once" },
        { "empty tensor name", Build("""{"":""" + F32Pair + "}", 8), CheckpointFormatRules.Name, "tensor '': name: tensor names must not be empty" },
        { "metadata not an object", Build("""{"__metadata__":"x"}""", 0), CheckpointFormatRules.Metadata, "metadata: __metadata__ is a JSON String, not an object" },
        { "metadata value not a string", Build("""{"__metadata__":{"epoch":3}}""", 0), CheckpointFormatRules.Metadata, "metadata: the value of 'epoch' is a JSON Number, not a string" },
        { "metadata key twice", Build("""{"__metadata__":{"a":"1","a":"2"}}""", 0), CheckpointFormatRules.Metadata, "metadata: the key 'a' appears more than once" },
        { "metadata twice", Build("""{"__metadata__":{},"__metadata__":{}}""", 0), CheckpointFormatRules.DuplicateName, "tensor '__metadata__': duplicate-name" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_FailsNamingTensorAndRule(string scenario, byte[] file, string rule, string expectedMessage)
    {
        var ex = Assert.Throws<CheckpointFormatException>(() => SafetensorsReader.Read(file));

        Assert.True(ex.Rule == rule, $"{scenario}: rule {ex.Rule}, expected {rule} ({ex.Message})");
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderOverCustomCap_Fails()
    {
        var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [1], [1f])]);
        var ex = Assert.Throws<CheckpointFormatException>(
            () => SafetensorsReader.Read(bytes, new CheckpointReadOptions { MaxHeaderBytes = 16 }));
        Assert.Equal(CheckpointFormatRules.HeaderLength, ex.Rule);
    }

    [Fact]
    public void Read_FileOverCustomCap_Fails()
    {
        var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [1], [1f])]);
        var ex = Assert.Throws<CheckpointFormatException>(
            () => SafetensorsReader.Read(bytes, new CheckpointReadOptions { MaxFileBytes = bytes.Length - 1 }));
        Assert.Equal(CheckpointFormatRules.FileSize, ex.Rule);
    }

    private static byte[] Build(string json, int dataBytes) => SafetensorsBytes.Build(Encoding.UTF8.GetBytes(json), new byte[dataBytes]);
}
