"""`ppconnector script compile` on any script: findings with lines, the documented surface, newer syntax."""

from __future__ import annotations

import json
import re

from conftest import run_cli
from script_support import compile_ok, run_one, wrap

from ppconnector.script.compiler import compile_script
from ppconnector.script.lower import lower

PASS_THROUGH = "        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);"


def test_syntax_error_is_a_finding_at_the_authors_line_and_column(tmp_path):
    text = ("\ufeff// BOM, CRLF line ends\n" + wrap("        var x = 1\n" + PASS_THROUGH)).replace("\n", "\r\n")
    path = tmp_path / "broken.csx"
    path.write_text(text, encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 1
    # `var x = 1` is on line 6; mcs notices the missing `;` at the start of line 7.
    assert re.search(r"broken\.csx:7:\d+: error: CS1525: Unexpected symbol `return' \[script-compile\]", result.stderr), result.stderr
    assert "did not compile" in result.stdout


def test_type_error_is_a_finding_at_its_line(tmp_path):
    path = tmp_path / "typed.csx"
    path.write_text(wrap("        int count = \"three\";\n" + PASS_THROUGH), encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 1
    assert re.search(r"typed\.csx:5:21: error: CS0029: Cannot implicitly convert type `string' to `int'", result.stderr), result.stderr


def test_namespace_outside_microsofts_list_is_a_warning_with_its_line(tmp_path):
    """An unused `using` outside the list shipped in merged updates of a public connector: the platform compiled
    it, so it is no error; certification reviewers ask for the list, so it is a warning at its line."""
    path = tmp_path / "remoting.csx"
    path.write_text("using System.Net.Http;\nusing System.Runtime.Remoting.Contexts;\nusing static System.Math;\n"
                    + wrap(PASS_THROUGH), encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 0, result.stderr
    assert re.search(r'remoting\.csx:2:7: warning: namespace "System.Runtime.Remoting.Contexts" is not on Microsoft\'s list', result.stderr), result.stderr
    assert "remoting.csx:1:" not in result.stderr and "remoting.csx:3:" not in result.stderr  # allowed (static System.Math: System)


def test_a_namespace_no_assembly_has_is_the_compilers_error(tmp_path):
    path = tmp_path / "missing.csx"
    path.write_text("using Contoso.Missing.Things;\n" + wrap(PASS_THROUGH), encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 1
    assert re.search(r"missing\.csx:1:\d+: error: CS0246: .*\[script-compile\]", result.stderr), result.stderr
    assert re.search(r"missing\.csx:1:7: warning: namespace \"Contoso.Missing.Things\"", result.stderr), result.stderr


def test_csharp_8_nullable_forms_of_public_scripts_compile():
    """The forms a deployed public script used (issue 30): `string[]? Handles`, `T?` in a generic method, nullable
    annotations on fields, returns and type arguments; Roslyn compiled them, so mcs must not call them errors."""
    members = """
    private JObject? _last;
    private static readonly string? Prefix = null;
    public class Payload
    {
        public string[]? Handles { get; set; }
        public Dictionary<string?, int?>? Extra { get; set; }
        public int? Count { get; set; }
    }
    private static T? Read<T>(string json) where T : class { return JsonConvert.DeserializeObject<T>(json); }
    private static T? Value<T>(JObject? o, string key) where T : struct { return o?[key]?.ToObject<T>(); }
    private JObject? Parse(string? text) { return string.IsNullOrEmpty(text) ? null : JObject.Parse(text!); }
    private async Task<string?> Fetch() { return await Task.FromResult<string?>(null).ConfigureAwait(false); }"""
    body = ('        var p = Read<Payload>("{\\"Handles\\": [\\"a\\"], \\"Count\\": 2}");\n'
            '        _last = Parse("{\\"n\\": 3}");\n'
            '        var n = Value<int>(_last, "n");\n'
            '        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent("\\"" + p!.Handles![0] + p.Count + n + "\\"") };')
    text = wrap(body, members=members)
    lowered, done = lower(text)
    assert "string[] Handles" in lowered and "static T Read<T>" in lowered and "static T? Value<T>" in lowered  # struct: Nullable<T>
    assert "Dictionary<string, int?> Extra" in lowered and "JObject _last" in lowered and "Task<string> Fetch" in lowered
    outcome = run_one(text)
    assert outcome.exception is None, outcome.exception
    assert json.loads(outcome.response["body"]) == "a23"


def test_a_nullable_annotation_mcs_still_cannot_read_is_its_limit_not_an_error():
    # Roslyn reads `T?` on a class anywhere; where the rewrite misses one, mcs's CS0453 is its own limit.
    compiled = compile_script(wrap("        var t = typeof(List<string?>);\n" + PASS_THROUGH), "typeof.csx")
    assert [(f.rule, f.severity) for f in compiled.findings if f.severity == "error"] == []


def test_platform_namespace_import_is_only_a_warning(tmp_path):
    path = tmp_path / "platform.csx"
    path.write_text("using Microsoft.PowerPlatform.Connectors.CustomCode.CSharp;\n" + wrap(PASS_THROUGH), encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 0, result.stderr
    assert "platform.csx:1:7: warning:" in result.stderr


SURFACE = r'''
using System.Security.Cryptography;
using System.Xml.Linq;

public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Logger.LogInformation("Operation {OperationId}, correlation {Id}", this.Context.OperationId, this.Context.CorrelationId);
        this.Context.Logger.LogDebug("debug");
        this.Context.Logger.LogTrace("trace");
        this.Context.Logger.LogWarning(new EventId(7, "seven"), "warning {N}", 7);
        this.Context.Logger.LogCritical("critical");
        this.Context.Logger.Log(LogLevel.Information, "plain log");
        if (this.CancellationToken.IsCancellationRequested) { return new HttpResponseMessage(HttpStatusCode.RequestTimeout); }
        var query = HttpUtility.ParseQueryString(this.Context.Request.RequestUri.Query);
        var request = this.Context.Request;
        var incoming = JObject.Parse(await request.Content.ReadAsStringAsync().ConfigureAwait(false));
        var names = incoming["items"].Select(t => (string)t["name"]).Where(n => Regex.IsMatch(n, "^[a-z]+$")).OrderBy(n => n).ToList();
        incoming["names"] = new JArray(names);
        incoming["query"] = query["q"];
        incoming["hasKey"] = incoming.ContainsKey("items");
        using (var sha = SHA256.Create())
        {
            incoming["hash"] = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes("abc"))).Replace("-", "").ToLowerInvariant();
        }
        incoming["xml"] = new XElement("a", new XAttribute("b", "c")).ToString();
        request.Content = CreateJsonContent(incoming.ToString(Formatting.None));
        request.Headers.Add("X-Correlation", this.Context.CorrelationId);
        var response = await this.Context.SendAsync(request, this.CancellationToken).ConfigureAwait(false);
        var upstream = JsonConvert.DeserializeObject<Dictionary<string, object>>(await response.Content.ReadAsStringAsync());
        response.Content = CreateJsonContent(JsonConvert.SerializeObject(new { upstream = upstream.Keys.First(), names }));
        response.Headers.Add("X-Script", "yes");
        return response;
    }
}
'''


def test_the_documented_surface_compiles_and_runs():
    outcome = run_one(SURFACE, operation="Surface", method="POST", url="https://api.example.com/v1/things?q=hello",
                      body=json.dumps({"items": [{"name": "zeta"}, {"name": "alpha"}, {"name": "No"}]}),
                      headers={"Content-Type": "application/json"})
    assert outcome.exception is None, outcome.exception
    sent = json.loads(outcome.sent[0]["body"])
    assert sent["names"] == ["alpha", "zeta"] and sent["query"] == "hello" and sent["hasKey"] is True
    assert sent["hash"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sent["xml"] == '<a b="c" />'
    assert outcome.sent[0]["headers"]["X-Correlation"] == "00000000-0000-0000-0000-000000000000"
    assert outcome.sent[0]["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(outcome.response["body"]) == {"upstream": "ok", "names": ["alpha", "zeta"]}
    assert outcome.response["headers"]["X-Script"] == "yes"
    logs = [(line["level"], line["message"]) for line in outcome.logs]
    assert logs[0] == ("Information", "Operation Surface, correlation 00000000-0000-0000-0000-000000000000")
    assert ("Warning", "warning 7") in logs and ("Critical", "critical") in logs and len(logs) == 6


MODERN = '''public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        string? name = this.Context.OperationId;
        using var stream = new System.IO.MemoryStream();
        await using var other = new System.IO.MemoryStream();
        int? count = null;
        var code = name switch
        {
            "first" => 1,
            "second" when count is null => 2,
            _ => 3,
        };
        List<string?> items = new();
        Dictionary<string, string>? map = null;
        map ??= new Dictionary<string, string> { ["k"] = "v" };
        if (name is not null && map!.Count == 1) { items.Add(@$"{name}\\done"); }
        var response = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        response.Content = CreateJsonContent(new JObject { ["code"] = code, ["items"] = new JArray(items), ["note"] = "is not null ?? switch {" }.ToString());
        return response!;
    }

    private static string? Describe(JObject? o) => o?.ToString();
}
'''


def test_csharp_8_and_9_syntax_is_lowered_line_for_line_and_keeps_its_meaning():
    lowered, done = lower(MODERN)
    assert lowered.count("\n") == MODERN.count("\n")
    assert {s.name for s in done} >= {"using declaration", "`is not null` pattern", "nullable reference annotation",
                                     "switch expression", "`??=` assignment", "target-typed `new()`", "null-forgiving operator"}
    assert '"is not null ?? switch {"' in lowered  # strings are never rewritten
    assert "int? count" in lowered  # Nullable<int> is C# 2, kept
    for operation, code in (("first", 1), ("second", 2), ("third", 3)):
        outcome = run_one(MODERN, operation=operation)
        assert outcome.exception is None, outcome.exception
        body = json.loads(outcome.response["body"])
        assert body["code"] == code
        assert body["items"] == [operation + "\\done"]  # a verbatim string: one backslash


OUT_VAR = wrap('''        var response = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        var names = new Dictionary<string, string> { ["a"] = "x" };
        var parsed = JObject.Parse(await response.Content.ReadAsStringAsync());
        if (int.TryParse(this.Context.OperationId, out var n) && names.TryGetValue("a", out var name)
            && response.Headers.TryGetValues("X-Id", out var ids) && parsed.TryGetValue("ok", out var ok))
        {
            var o = (JObject?)JToken.Parse("{}");
            o["n"] = await Task.FromResult(n); o["name"] = name; o["id"] = ids.First(); o["ok"] = ok;
            o["back"] = this.Context.CreateNotificationUri("/hook?x=1").AbsoluteUri;
            response.Content = CreateJsonContent((o as JObject?)!.ToString());
        }
        return response;''')


def test_out_var_in_async_methods_nullable_casts_and_notification_uris_compile_and_run():
    """mcs 6.8 crashes on an `out var` an async method keeps across an await: the harness writes the type
    out where the method names it; `(JObject?)` casts lose the annotation; CreateNotificationUri exists."""
    lowered, done = lower(OUT_VAR)
    assert "out int n" in lowered and "out string name" in lowered and "out IEnumerable<string> ids" in lowered
    assert "out JToken ok" in lowered and "(JObject)JToken" in lowered and "(o as JObject)" in lowered
    outcome = run_one(OUT_VAR, operation="42", upstream=[{"status": 200, "headers": {"X-Id": "7"}, "body": json.dumps({"ok": True})}])
    assert outcome.exception is None, outcome.exception
    assert json.loads(outcome.response["body"]) == {
        "n": 42, "name": "x", "id": "7", "ok": True, "back": "https://notification.ppconnector.invalid/connector/hook?x=1"}


def test_nullable_annotations_in_casts_are_dropped_only_on_reference_types():
    cases = {
        "var a = (JObject?)o[\"x\"] ?? new JObject();": "var a = (JObject)o[\"x\"] ?? new JObject();",
        "((JObject?) o[\"x\"])?.Add(j);": "((JObject) o[\"x\"])?.Add(j);",
        "var s = (string?)v[\"Value\"]; var n = (int?)v[\"Seat\"];": "var s = (string)v[\"Value\"]; var n = (int?)v[\"Seat\"];",
        "var l = (List<string>?)x; var b = x as JArray? ;": "var l = (List<string>)x; var b = x as JArray ;",
        "var t = x as string ?? \"(JObject?)\";": "var t = x as string ?? \"(JObject?)\";",  # `??`, and text in strings, stay
    }
    for before, after in cases.items():
        assert lower(before)[0] == after, before


def test_mcs_crashing_on_a_construct_is_an_info_naming_it():
    text = wrap("        var map = Build();\n"
                "        if (map.TryGetValue(\"a\", out var found)) { await Task.Delay(1); this.Context.Logger.LogInformation(found); }\n"
                + PASS_THROUGH, members="    IDictionary<string, string> Build() { return new Dictionary<string, string>(); }")
    compiled = compile_script(text, "crash.csx")
    assert not compiled.ok
    assert [(f.rule, f.severity, f.line) for f in compiled.findings] == [("script-harness-limit", "info", 6)]
    assert "mcs crashed (its own internal error) on `out var found` in an async method" in compiled.findings[0].message
    assert "not an error in the script" in compiled.findings[0].message


def test_syntax_mcs_cannot_handle_is_reported_as_a_harness_limit_not_an_error():
    text = wrap("        var n = this.Context.OperationId.Length;\n"
                "        if (n is > 3 and < 10) { n = 0; }\n" + PASS_THROUGH)
    compiled = compile_script(text, "limit.csx")
    assert not compiled.ok
    assert [f.rule for f in compiled.findings] == ["script-harness-limit"]
    finding = compiled.findings[0]
    assert finding.severity == "info" and finding.line == 6
    assert "mcs cannot compile C# 9 syntax" in finding.message and "at line 6" in finding.message
    assert "not an error in the script" in finding.message


def test_record_type_is_a_harness_limit_too(tmp_path):
    path = tmp_path / "record.csx"
    path.write_text(wrap(PASS_THROUGH) + "public record Person(string Name);\n", encoding="utf-8")
    result = run_cli("script", "compile", str(path))
    assert result.returncode == 0, result.stderr  # an info: the script may well be right
    assert re.search(r"record\.csx:9:\d+: info: mcs cannot compile C# 9 syntax record at line 9", result.stderr), result.stderr


def test_compiled_scripts_are_cached_by_content():
    text = wrap("        // cache probe 1\n" + PASS_THROUGH)
    first = compile_ok(text)
    again = compile_script(text, "other-name.csx")
    assert again.ok and again.cached and again.exe == first.exe
    changed = compile_script(text.replace("probe 1", "probe 2"), "script.csx")
    assert changed.exe != first.exe


def test_exceptions_in_the_script_are_outcomes_not_crashes():
    outcome = run_one(wrap('        throw new InvalidOperationException("boom");'))
    assert outcome.response is None
    assert outcome.exception == "System.InvalidOperationException: boom"


def test_lowercase_script_class_is_found():
    outcome = run_one(wrap(PASS_THROUGH).replace("public class Script", "public class script"))
    assert outcome.exception is None and outcome.response["status"] == 200


def test_a_script_over_the_time_limit_is_reported_not_waited_for(monkeypatch):
    monkeypatch.setenv("PPCONNECTOR_SCRIPT_TIMEOUT_MS", "300")  # the platform's 5 s, shortened for the test
    outcome = run_one(wrap("        System.Threading.Thread.Sleep(3000);\n" + PASS_THROUGH))
    assert outcome.timeout_ms == 300 and outcome.response is None


def test_nested_nullable_annotations_lose_every_mark_and_the_script_runs():
    text = wrap('        var names = Join("a", new List<string?> { "b" });\n'
                '        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent("\\"" + names + "\\"") };',
                members="    private string Join(string? first, List<string?>? rest = null) { return first + string.Join(\"\", rest); }")
    lowered, _ = lower(text)
    assert "string first, List<string> rest" in lowered
    outcome = run_one(text)
    assert outcome.exception is None, outcome.exception
    assert json.loads(outcome.response["body"]) == "ab"


def test_local_functions_await_foreach_and_target_typed_new_in_arguments_are_limits_not_errors():
    """Roslyn compiles each (Microsoft deployed scripts with local functions); mcs 6.8 cannot read them."""
    cases = {
        "local function": "        string Twice(string s) => s + s;\n",
        "static local function": "        static string Twice(string s)\n        {\n            return s + s;\n        }\n",
        "target-typed `new()`": "        Fill(new());\n",
        "`await foreach`": "        await foreach (var x in Items()) { }\n",
    }
    for name, body in cases.items():
        compiled = compile_script(wrap(body + PASS_THROUGH, members="    void Fill(List<string> l) { }"), "modern.csx")
        assert not compiled.ok, name
        assert compiled.findings and all(f.severity == "info" for f in compiled.findings), (name, compiled.findings)
        assert any(f"syntax {name} at line 5" in f.message for f in compiled.findings), (name, compiled.findings)


def test_methods_and_calls_are_not_mistaken_for_local_functions():
    text = wrap("        if (Check(this.Context.OperationId)) { Log(\"x\"); }\n        else Log(\"y\");\n" + PASS_THROUGH,
                members="    private bool Check(string s) => s != null;\n    private void Log(string s) { }")
    assert compile_ok(text)
