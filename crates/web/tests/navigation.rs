//! The menu: every role sees the goal page and the half-yearly picture of the areas of unrest
//! (both open to every signed-in user), and every link in its menu opens for it.

mod common;

use common::spawn_app;
use sikkerby_domain::access::Role;
use sikkerby_testkit::store_test;

/// The hrefs inside the page's `<nav>`.
fn menu_links(page: &str) -> Vec<String> {
    let start = page.find("<nav").expect("a menu");
    let end = start + page[start..].find("</nav>").expect("the menu ends");
    page[start..end].split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
}

store_test!(every_role_finds_the_goal_and_unrest_pages_in_the_menu_and_each_link_opens, |db| async move {
    let app = spawn_app(db).await;
    for role in [Role::Caseworker, Role::Analyst, Role::Manager, Role::Admin] {
        app.login_as(role).await;
        let links = menu_links(&app.text("/maal", 200).await);
        for wanted in ["/maal", "/uroligeomraader"] {
            assert!(links.iter().any(|l| l == wanted), "{role:?} has no {wanted} in the menu: {links:?}");
        }
        for link in &links {
            assert_eq!(app.get(link).await.status().as_u16(), 200, "{role:?} opens {link}");
        }
        let goal = app.text("/maal", 200).await;
        assert!(goal.contains("href=\"/maal\" aria-current=\"page\""), "the goal page is marked current");
        let english = menu_links(&app.text("/uroligeomraader?lang=en", 200).await);
        assert!(english.iter().any(|l| l == "/uroligeomraader"), "the English menu has it too");
    }
});
