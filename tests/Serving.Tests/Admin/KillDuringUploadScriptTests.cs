using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Admin;

/// <summary>A short, seeded run of scripts/faults/kill-during-upload.sh (docs/reliability.md, "Faults").</summary>
public sealed class KillDuringUploadScriptTests
{
    [Fact]
    public async Task KillDuringUpload_ThreeSeededKills_StoreConsistentAndEveryVersionServes()
    {
        var output = await ExternalTool.RunCheckedAsync(
            "env",
            [
                $"SPEECHSERVE_CONFIGURATION={(AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug")}",
                "bash",
                Path.Combine(TrainingScripts.RepositoryRoot, "scripts", "faults", "kill-during-upload.sh"),
                "3",
                "7",
            ],
            timeout: TimeSpan.FromMinutes(4));

        Assert.Contains("PASS: seed 7, 3 kills, 4 restarts", output, StringComparison.Ordinal);
    }
}
