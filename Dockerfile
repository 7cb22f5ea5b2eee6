# syntax=docker/dockerfile:1
# TeaTrace: build with the SDK, run on the ASP.NET runtime as a non-root user, data in a volume.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the package layer is cached across source changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/TeaTrace.Ledger/TeaTrace.Ledger.csproj src/TeaTrace.Ledger/
COPY src/TeaTrace.Api/TeaTrace.Api.csproj src/TeaTrace.Api/
RUN dotnet restore src/TeaTrace.Api/TeaTrace.Api.csproj
COPY migrations/ migrations/
COPY seeds/ seeds/
COPY src/ src/
RUN dotnet publish src/TeaTrace.Api/TeaTrace.Api.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The database, the ledger signing key and the job store live in /data, owned by the image's non-root user.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME ["/data"]
# Production needs TeaTrace__PublicBaseUrl (the address printed into QR codes, labels and feeds) and refuses to
# start without it: docker run -e TeaTrace__PublicBaseUrl=https://tea.example.cn ...
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__TeaTrace="Data Source=/data/teatrace.db" \
    TeaTrace__Ledger__SigningKeyPath=/data/ledger.key \
    TeaTrace__Seed=none
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "TeaTrace.Api.dll"]
