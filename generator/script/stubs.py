"""C# sources the harness compiles together with a script.

``ScriptBase`` and ``IScriptContext`` follow Microsoft's documented surface (learn.microsoft.com,
connectors/custom-connectors/write-code); ``ILogger`` and its extension methods are a minimal
stand-in for Microsoft.Extensions.Logging (not packaged for Debian), with the same call shapes.
``HOST`` is the test host: it reads cases as JSON, runs the script on each and writes what happened.
"""

from __future__ import annotations

# The namespaces the platform pre-imports and the only ones it supports (Microsoft's list).
ALLOWED_NAMESPACES = (
    "System", "System.Collections", "System.Collections.Generic", "System.Diagnostics", "System.IO",
    "System.IO.Compression", "System.Linq", "System.Net", "System.Net.Http", "System.Net.Http.Headers",
    "System.Net.Security", "System.Security.Authentication", "System.Security.Cryptography", "System.Text",
    "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks", "System.Web", "System.Xml",
    "System.Xml.Linq", "System.Drawing", "System.Drawing.Drawing2D", "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging", "Newtonsoft.Json", "Newtonsoft.Json.Linq",
)

# Where ScriptBase lives on the platform; some certified scripts import it explicitly.
PLATFORM_NAMESPACE = "Microsoft.PowerPlatform.Connectors.CustomCode.CSharp"

# Assemblies the script is compiled against (mono's GAC names, plus Json.NET by path).
REFERENCES = ("System", "System.Core", "System.Net.Http", "System.Web", "System.Xml", "System.Xml.Linq",
              "System.Drawing", "System.IO.Compression", "System.Numerics", "Microsoft.CSharp",
              "System.Runtime.Serialization")

STUBS = r"""
namespace Microsoft.Extensions.Logging
{
    using System;

    public enum LogLevel { Trace = 0, Debug = 1, Information = 2, Warning = 3, Error = 4, Critical = 5, None = 6 }

    public struct EventId
    {
        public EventId(int id, string name = null) { Id = id; Name = name; }
        public int Id { get; }
        public string Name { get; }
        public static implicit operator EventId(int i) { return new EventId(i); }
        public override string ToString() { return Name ?? Id.ToString(); }
    }

    public interface ILogger
    {
        void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter);
        bool IsEnabled(LogLevel logLevel);
        IDisposable BeginScope<TState>(TState state);
    }

    public static class LoggerExtensions
    {
        static string Format(string message, object[] args)
        {
            if (message == null) return "";
            if (args == null || args.Length == 0) return message;
            // Message templates name their holes ({Id}); number them for string.Format.
            int n = 0;
            var numbered = System.Text.RegularExpressions.Regex.Replace(message, @"(?<!\{)\{[^{}:]+(:[^{}]*)?\}(?!\})", m => "{" + (n++) + m.Groups[1].Value + "}");
            try { return string.Format(numbered, args); } catch (FormatException) { return message; }
        }

        public static void Log(this ILogger logger, LogLevel logLevel, EventId eventId, Exception exception, string message, params object[] args)
        {
            var text = Format(message, args);
            logger.Log<string>(logLevel, eventId, text, exception, (s, e) => e == null ? s : s + " " + e);
        }
        public static void Log(this ILogger logger, LogLevel logLevel, string message, params object[] args) { logger.Log(logLevel, 0, null, message, args); }
        public static void Log(this ILogger logger, LogLevel logLevel, EventId eventId, string message, params object[] args) { logger.Log(logLevel, eventId, null, message, args); }
        public static void Log(this ILogger logger, LogLevel logLevel, Exception exception, string message, params object[] args) { logger.Log(logLevel, 0, exception, message, args); }

        public static void LogTrace(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Trace, 0, null, message, args); }
        public static void LogTrace(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Trace, eventId, null, message, args); }
        public static void LogTrace(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Trace, 0, exception, message, args); }
        public static void LogTrace(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Trace, eventId, exception, message, args); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Debug, 0, null, message, args); }
        public static void LogDebug(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Debug, eventId, null, message, args); }
        public static void LogDebug(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Debug, 0, exception, message, args); }
        public static void LogDebug(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Debug, eventId, exception, message, args); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Information, 0, null, message, args); }
        public static void LogInformation(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Information, eventId, null, message, args); }
        public static void LogInformation(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Information, 0, exception, message, args); }
        public static void LogInformation(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Information, eventId, exception, message, args); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Warning, 0, null, message, args); }
        public static void LogWarning(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Warning, eventId, null, message, args); }
        public static void LogWarning(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Warning, 0, exception, message, args); }
        public static void LogWarning(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Warning, eventId, exception, message, args); }
        public static void LogError(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Error, 0, null, message, args); }
        public static void LogError(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Error, eventId, null, message, args); }
        public static void LogError(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Error, 0, exception, message, args); }
        public static void LogError(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Error, eventId, exception, message, args); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Critical, 0, null, message, args); }
        public static void LogCritical(this ILogger logger, EventId eventId, string message, params object[] args) { logger.Log(LogLevel.Critical, eventId, null, message, args); }
        public static void LogCritical(this ILogger logger, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Critical, 0, exception, message, args); }
        public static void LogCritical(this ILogger logger, EventId eventId, Exception exception, string message, params object[] args) { logger.Log(LogLevel.Critical, eventId, exception, message, args); }
        public static IDisposable BeginScope(this ILogger logger, string messageFormat, params object[] args) { return logger.BeginScope<string>(Format(messageFormat, args)); }
    }
}

namespace Microsoft.PowerPlatform.Connectors.CustomCode.CSharp
{
}

public interface IScriptContext
{
    string CorrelationId { get; }
    string OperationId { get; }
    System.Net.Http.HttpRequestMessage Request { get; }
    // Not in the documentation, but on the platform's context and used by Microsoft's own certified
    // scripts (Azure Communication Services SMS Events): the request's URL before the script changed it.
    System.Uri OriginalRequestUri { get; }
    Microsoft.Extensions.Logging.ILogger Logger { get; }
    // Not in the documentation either; public webhook scripts call it to hand a service a URL on the
    // connector itself to call back (this path and query appended).
    System.Uri CreateNotificationUri(string pathAndQuerySuffix);
    System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken);
}

public abstract class ScriptBase
{
    public IScriptContext Context { get; internal set; }
    public System.Threading.CancellationToken CancellationToken { get; internal set; }

    public static System.Net.Http.StringContent CreateJsonContent(string serializedJson)
    {
        return new System.Net.Http.StringContent(serializedJson, System.Text.Encoding.UTF8, "application/json");
    }

    public abstract System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> ExecuteAsync();
}

// Json.NET members newer than Debian's Json.NET 6 that public scripts call: the same behaviour, as
// extension methods (used only where the instance member is missing).
public static class PpconnectorJsonCompat
{
    public static bool ContainsKey(this Newtonsoft.Json.Linq.JObject o, string propertyName)
    {
        return ((System.Collections.Generic.IDictionary<string, Newtonsoft.Json.Linq.JToken>)o).ContainsKey(propertyName);
    }
}
"""

HOST = r"""
namespace Ppconnector.Harness
{
    using System;
    using System.Collections.Generic;
    using System.Diagnostics;
    using System.IO;
    using System.Linq;
    using System.Net;
    using System.Net.Http;
    using System.Text;
    using System.Threading;
    using System.Threading.Tasks;
    using Microsoft.Extensions.Logging;
    using Newtonsoft.Json;
    using Newtonsoft.Json.Linq;

    sealed class Logger : ILogger
    {
        public readonly JArray Lines = new JArray();
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
        {
            var line = new JObject();
            line["level"] = logLevel.ToString();
            line["message"] = formatter != null ? formatter(state, exception) : Convert.ToString(state);
            Lines.Add(line);
        }
        public bool IsEnabled(LogLevel logLevel) { return true; }
        public IDisposable BeginScope<TState>(TState state) { return new MemoryStream(); }
    }

    sealed class Context : IScriptContext
    {
        public string CorrelationId { get; set; }
        public string OperationId { get; set; }
        public HttpRequestMessage Request { get; set; }
        public Uri OriginalRequestUri { get; set; }
        public ILogger Logger { get; set; }
        // Where the platform would route a callback to this connector; .invalid: nothing answers there.
        public Uri CreateNotificationUri(string pathAndQuerySuffix)
        {
            var suffix = pathAndQuerySuffix ?? "";
            return new Uri("https://notification.ppconnector.invalid/connector" + (suffix.StartsWith("/") ? "" : "/") + suffix);
        }
        public readonly List<JObject> Upstream = new List<JObject>();
        public readonly JArray Sent = new JArray();

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = await Host.Describe(request.Method.Method, request.RequestUri, request.Headers, request.Content).ConfigureAwait(false);
            Sent.Add(sent);
            JObject answer;
            if (Live != null)
            {
                answer = await Task.Run(() => Live(sent)).ConfigureAwait(false);  // the real call, made by ppconnector
                var error = (string)answer["error"];
                if (error != null) throw new HttpRequestException(error);
            }
            else
            {
                if (Upstream.Count == 0)
                {
                    throw new InvalidOperationException("the fixture has no response for the script's request " + Sent.Count);
                }
                answer = Upstream[0];
                if (Upstream.Count > 1) Upstream.RemoveAt(0);  // the last response answers every further request
            }
            var response = new HttpResponseMessage((HttpStatusCode)(int)answer["status"]);
            response.RequestMessage = request;
            var body = (string)answer["body"];
            var body64 = (string)answer["bodyBase64"];
            if (body64 != null)
            {
                response.Content = new ByteArrayContent(Convert.FromBase64String(body64));
            }
            else if (body != null)
            {
                response.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            }
            var headers = answer["headers"] as JObject;
            if (headers != null)
            {
                foreach (var h in headers.Properties())
                {
                    var value = (string)h.Value;
                    if (!response.Headers.TryAddWithoutValidation(h.Name, value))
                    {
                        if (response.Content == null) response.Content = new ByteArrayContent(new byte[0]);
                        response.Content.Headers.TryAddWithoutValidation(h.Name, value);
                    }
                }
            }
            return response;
        }

        // Set for a live run (ppconnector record): each request goes out through the harness's channel.
        public Func<JObject, JObject> Live;
    }

    public static class Host
    {
        internal static async Task<JObject> Describe(string method, Uri uri, System.Net.Http.Headers.HttpHeaders headers, HttpContent content)
        {
            var o = new JObject();
            if (method != null) o["method"] = method;
            if (uri != null) o["url"] = uri.ToString();
            var h = new JObject();
            foreach (var pair in headers) h[pair.Key] = string.Join(", ", pair.Value);
            if (content != null)
            {
                foreach (var pair in content.Headers) h[pair.Key] = string.Join(", ", pair.Value);
                var bytes = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
                o["body"] = Encoding.UTF8.GetString(bytes);
                o["bodyBase64"] = Convert.ToBase64String(bytes);
            }
            o["headers"] = h;
            return o;
        }

        static HttpRequestMessage Request(JObject r)
        {
            var request = new HttpRequestMessage(new HttpMethod(((string)r["method"]).ToUpperInvariant()), new Uri((string)r["url"]));
            var body = (string)r["body"];
            // The platform hands every request over with a content, empty when the flow sent no body: public
            // scripts read Context.Request.Content on GETs (USAJOBS, SurveyMonkey) without checking for null.
            request.Content = new ByteArrayContent(body != null ? Encoding.UTF8.GetBytes(body) : new byte[0]);
            var headers = r["headers"] as JObject;
            if (headers != null)
            {
                foreach (var h in headers.Properties())
                {
                    var value = (string)h.Value;
                    if (!request.Headers.TryAddWithoutValidation(h.Name, value) && request.Content != null)
                    {
                        request.Content.Headers.TryAddWithoutValidation(h.Name, value);
                    }
                }
            }
            return request;
        }

        static Type ScriptType()
        {
            foreach (var t in typeof(Host).Assembly.GetTypes())
            {
                if (!t.IsAbstract && typeof(ScriptBase).IsAssignableFrom(t)) return t;
            }
            return null;
        }

        static async Task<JObject> Run(JObject c, Type scriptType, Func<JObject, JObject> live)
        {
            var result = new JObject();
            var logger = new Logger();
            var context = new Context { CorrelationId = (string)c["correlationId"], OperationId = (string)c["operationId"], Logger = logger };
            if ((bool?)c["live"] == true) context.Live = live;
            foreach (JObject u in (JArray)c["upstream"]) context.Upstream.Add(u);
            var watch = Stopwatch.StartNew();
            try
            {
                context.Request = Request((JObject)c["request"]);
                context.OriginalRequestUri = new Uri((string)c["originalUrl"]);
                var script = (ScriptBase)Activator.CreateInstance(scriptType);
                script.Context = context;
                var cts = new CancellationTokenSource();
                script.CancellationToken = cts.Token;
                var task = Task.Run(() => script.ExecuteAsync());  // a script that blocks still meets the time limit
                var limit = (int?)c["timeoutMs"] ?? 5000;
                if (await Task.WhenAny(task, Task.Delay(limit)).ConfigureAwait(false) != task)
                {
                    cts.Cancel();
                    result["timeout"] = limit;
                }
                else
                {
                    var response = await task.ConfigureAwait(false);
                    if (response == null)
                    {
                        result["exception"] = "ExecuteAsync returned null instead of a response";
                    }
                    else
                    {
                        var described = await Describe(null, null, response.Headers, response.Content).ConfigureAwait(false);
                        described["status"] = (int)response.StatusCode;
                        result["response"] = described;
                    }
                }
            }
            catch (Exception e)
            {
                var inner = e is AggregateException && e.InnerException != null ? e.InnerException : e;
                result["exception"] = inner.GetType().FullName + ": " + inner.Message;
                result["stack"] = inner.StackTrace;
            }
            result["elapsedMs"] = watch.Elapsed.TotalMilliseconds;
            result["sent"] = context.Sent;
            result["logs"] = logger.Lines;
            return result;
        }

        // The channel to ppconnector is this process's own stdout and stdin, taken before the script runs; the
        // script's Console is pointed elsewhere.  Every line ppconnector reads starts with the nonce it sent
        // first on stdin, which lives only in Main's locals: a line the script writes some other way lacks it.
        public static int Main(string[] args)
        {
            var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            var nonce = stdin.ReadLine() ?? "";
            var channel = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            channel.AutoFlush = true;
            var gate = new object();
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            Console.SetIn(TextReader.Null);
            Func<JObject, JObject> live = sent =>
            {
                lock (gate)
                {
                    channel.WriteLine(nonce + " send " + sent.ToString(Formatting.None));
                    var line = stdin.ReadLine();
                    return line == null ? JObject.Parse("{\"error\": \"the harness closed the channel\"}") : JObject.Parse(line);
                }
            };
            var input = JArray.Parse(File.ReadAllText(args[0], Encoding.UTF8));
            var scriptType = ScriptType();
            foreach (JObject c in input)
            {
                JObject r;
                if (scriptType == null)
                {
                    r = new JObject();
                    r["exception"] = "the script declares no class that derives from ScriptBase";
                }
                else
                {
                    r = Run(c, scriptType, live).GetAwaiter().GetResult();
                }
                lock (gate) channel.WriteLine(nonce + " result " + r.ToString(Formatting.None));
            }
            lock (gate) channel.WriteLine(nonce + " end");
            Environment.Exit(0);  // do not wait for a script's leftover threads or timers
            return 0;
        }
    }
}
"""
