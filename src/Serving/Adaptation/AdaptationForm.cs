using System.Globalization;
using SpeechServe.Adapters.Packages;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// The fields of <c>POST /admin/adaptations</c>: <c>name</c>, <c>data</c> (the zip), and optionally <c>model</c> (the
/// base model, required when several are served), <c>time_budget_minutes</c> and <c>bottleneck</c>.
/// </summary>
internal sealed record AdaptationForm(string Name, IFormFile Data, ServedModel Served, double? TimeBudgetMinutes, int? Bottleneck)
{
    public static (AdaptationForm? Form, IResult? Error) Parse(IFormCollection form, ModelCatalog catalog, AdaptationOptions options)
    {
        static IResult Bad(string detail) => AdminProblems.Create(StatusCodes.Status400BadRequest, "Bad request", detail, "invalid_request");

        var name = form["name"].ToString();
        if (!AdapterPackageReader.IsValidName(name))
        {
            return (null, Bad($"Send the adapter's name in a 'name' field matching [a-z0-9][a-z0-9_-]{{0,63}} (got '{name}')."));
        }

        if (form.Files.GetFile("data") is not { Length: > 0 } data)
        {
            return (null, Bad("Send the dataset as a zip in a 'data' file part: audio files and metadata.csv with the header file_name,transcription."));
        }

        var model = form["model"].ToString();
        var served = model.Length > 0
            ? catalog.Models.FirstOrDefault(m => m.Model.Id == model)
            : catalog.Models.Count == 1 ? catalog.Models[0] : null;
        if (served is null)
        {
            return (null, Bad(model.Length > 0
                ? $"There is no base model '{model}'."
                : $"Several base models are served ({string.Join(", ", catalog.Models.Select(m => m.Model.Id))}); name one in a 'model' field."));
        }

        double? budget = null;
        if (form["time_budget_minutes"].ToString() is { Length: > 0 } budgetText)
        {
            if (!double.TryParse(budgetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || minutes <= 0 || minutes > options.MaxTimeBudgetMinutes)
            {
                return (null, Bad($"time_budget_minutes must be a number above 0 and at most {options.MaxTimeBudgetMinutes.ToString(CultureInfo.InvariantCulture)} (Adaptation:MaxTimeBudgetMinutes)."));
            }

            budget = minutes;
        }

        int? bottleneck = null;
        if (form["bottleneck"].ToString() is { Length: > 0 } bottleneckText)
        {
            var width = served.Model.Manifest.Architecture.AdapterDim;
            if (!int.TryParse(bottleneckText, NumberStyles.None, CultureInfo.InvariantCulture, out var units) || units < 1 || units > width)
            {
                return (null, Bad($"bottleneck must be a whole number from 1 to model {served.Model.Id}'s {width}."));
            }

            bottleneck = units;
        }

        return (new AdaptationForm(name, data, served, budget, bottleneck), null);
    }
}
